"""planning on a job queue: the worker and heartbeat of a run, its parts, and the county's planning lock;
the county of hubs, staff and clients in a database of several counties

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("hubs", "staff", "clients"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("county", sa.String(length=200), nullable=True))
    with op.batch_alter_table("planning_runs") as batch:
        batch.add_column(sa.Column("ticket", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("worker", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("parts", sa.Integer(), nullable=True))
    op.create_table(
        "planning_parts",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("progress", sa.JSON(), nullable=True),
        sa.Column("problem", sa.JSON(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["planning_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "part"),
    )
    op.create_table(
        "planning_locks",
        sa.Column("county", sa.String(length=100), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("county"),
    )
    op.execute("INSERT INTO planning_locks (county) VALUES ('county')")


def downgrade() -> None:
    for table in ("hubs", "staff", "clients"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("county")
    op.drop_table("planning_locks")
    op.drop_table("planning_parts")
    with op.batch_alter_table("planning_runs") as batch:
        batch.drop_column("parts")
        batch.drop_column("heartbeat_at")
        batch.drop_column("worker")
        batch.drop_column("ticket")
