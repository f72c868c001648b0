"""offering stamp: the version of what the offering shows, moved by every write that changes it

Revision ID: 0012
Revises: 0011
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    stamp = op.create_table(
        "offering_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(stamp, [{"id": 1, "version": 1, "changed_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("offering_stamp")
