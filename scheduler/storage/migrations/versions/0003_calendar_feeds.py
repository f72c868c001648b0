"""calendar feeds: group sequence and change time, cancelled groups, session changes, staff feed tokens

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("groups") as batch:
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("cancelled_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("cancel_reason", sa.String(length=300), nullable=True))
    op.execute("UPDATE groups SET updated_at = CURRENT_TIMESTAMP")  # feeds stamp what exists with the upgrade
    op.create_table(
        "session_changes",
        sa.Column("group_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("moved_to", sa.Date(), nullable=True),
        sa.Column("start", sa.String(length=5), nullable=True),
        sa.Column("end", sa.String(length=5), nullable=True),
        sa.Column("hub_id", sa.String(length=128), nullable=True),
        sa.Column("room_id", sa.String(length=128), nullable=True),
        sa.Column("leaders", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["hub_id"], ["hubs.id"]),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"]),
        sa.PrimaryKeyConstraint("group_id", "day"),
    )
    op.create_table(
        "feed_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("staff_id", sa.String(length=128), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_feed_tokens_staff_id", "feed_tokens", ["staff_id"])


def downgrade() -> None:
    op.drop_index("ix_feed_tokens_staff_id", "feed_tokens")
    op.drop_table("feed_tokens")
    op.drop_table("session_changes")
    with op.batch_alter_table("groups") as batch:
        batch.drop_column("cancel_reason")
        batch.drop_column("cancelled_on")
        batch.drop_column("updated_at")
        batch.drop_column("sequence")
