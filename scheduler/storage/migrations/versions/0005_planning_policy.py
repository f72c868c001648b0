"""the county's planning policy (preset, weights, leader reach) kept with the planning frame

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("planning_settings") as batch:
        batch.add_column(sa.Column("policy", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("planning_settings") as batch:
        batch.drop_column("policy")
