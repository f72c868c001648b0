"""service periods on clients, counsellors who own clients, offers held for clients

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

EMPTY_LIST = sa.text("'[]'")


def upgrade() -> None:
    op.create_table(
        "counsellors",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("case_opened", sa.Date(), nullable=True))
        batch.add_column(sa.Column("assessed", sa.Date(), nullable=True))
        for name in ("decisions", "evaluations", "declined"):
            batch.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default=EMPTY_LIST))
        batch.add_column(sa.Column("counsellor_id", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("alias", sa.String(length=100), nullable=True))
        batch.create_foreign_key("fk_clients_counsellor_id", "counsellors", ["counsellor_id"], ["id"])
        batch.create_index("ix_clients_counsellor_id", ["counsellor_id"])
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("counsellor_id", sa.String(length=128), nullable=True))
        batch.create_foreign_key(
            "fk_api_tokens_counsellor_id", "counsellors", ["counsellor_id"], ["id"], ondelete="CASCADE"
        )
    with op.batch_alter_table("planning_settings") as batch:
        batch.add_column(sa.Column("offer_reply_days", sa.Integer(), nullable=False, server_default="7"))
        batch.add_column(sa.Column("offers_accept_at_once", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("group_id", sa.String(length=128), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("reply_by", sa.Date(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("decline_reason", sa.String(length=20), nullable=True),
        sa.Column("enrollment_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_offers_client_id", "offers", ["client_id"])
    op.create_index("ix_offers_group_id", "offers", ["group_id"])
    op.create_index("ix_offers_status", "offers", ["status"])


def downgrade() -> None:
    op.drop_table("offers")
    with op.batch_alter_table("planning_settings") as batch:
        batch.drop_column("offers_accept_at_once")
        batch.drop_column("offer_reply_days")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_constraint("fk_api_tokens_counsellor_id", type_="foreignkey")
        batch.drop_column("counsellor_id")
    with op.batch_alter_table("clients") as batch:
        batch.drop_index("ix_clients_counsellor_id")
        batch.drop_constraint("fk_clients_counsellor_id", type_="foreignkey")
        for name in ("alias", "counsellor_id", "declined", "evaluations", "decisions", "assessed", "case_opened"):
            batch.drop_column(name)
    op.drop_table("counsellors")
