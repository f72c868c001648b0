"""group kinds: admission and own terms, hybrid seats, peer instructors, pop-up head counts, partners' activities,
trial visits

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("group_models") as batch:
        batch.add_column(sa.Column("admission", sa.String(length=10), nullable=False, server_default="rolling"))
        batch.add_column(sa.Column("closes_after", sa.Integer(), nullable=False, server_default="2"))
        batch.add_column(sa.Column("sessions", sa.Integer(), nullable=True))
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("peer", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("groups") as batch:
        batch.add_column(sa.Column("start_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("sessions", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reach", sa.Integer(), nullable=True))
    for table in ("enrollments", "offers"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("remote", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("planning_settings") as batch:
        batch.add_column(sa.Column("popup_slots", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "head_counts",
        sa.Column("group_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("head_count", sa.Integer(), nullable=False),
        sa.Column("marked_by", sa.String(length=200), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "day"),
    )
    op.create_table(
        "partner_activities",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("day", sa.String(length=3), nullable=False),
        sa.Column("start", sa.String(length=5), nullable=False),
        sa.Column("end", sa.String(length=5), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("theme", sa.String(length=100), nullable=False),
        sa.Column("audience", sa.String(length=100), nullable=False, server_default="all"),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("accessible", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "trial_visits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("group_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("booked_by", sa.String(length=200), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_trial_visits_client_id", "trial_visits", ["client_id"])
    op.create_index("ix_trial_visits_group_day", "trial_visits", ["group_id", "day"])


def downgrade() -> None:
    op.drop_table("trial_visits")
    op.drop_table("partner_activities")
    op.drop_table("head_counts")
    with op.batch_alter_table("planning_settings") as batch:
        batch.drop_column("popup_slots")
    for table in ("offers", "enrollments"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("remote")
    with op.batch_alter_table("groups") as batch:
        batch.drop_column("reach")
        batch.drop_column("sessions")
        batch.drop_column("start_date")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("peer")
    with op.batch_alter_table("group_models") as batch:
        batch.drop_column("sessions")
        batch.drop_column("closes_after")
        batch.drop_column("admission")
