"""after a seat is taken: attendance, end reasons and next steps, notices (and their e-mail), feedback

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attendance",
        sa.Column("group_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("marked_by", sa.String(length=200), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "day", "client_id"),
    )
    op.create_index("ix_attendance_client_id", "attendance", ["client_id"])
    with op.batch_alter_table("enrollments") as batch:
        batch.add_column(sa.Column("end_reason", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("next_step", sa.String(length=30), nullable=True))
    for table in ("counsellors", "staff"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))
            batch.add_column(sa.Column("lang", sa.String(length=8), nullable=False, server_default="fi"))
    with op.batch_alter_table("planning_settings") as batch:
        batch.add_column(sa.Column("feedback_questions", sa.JSON(), nullable=True))
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("recipient", sa.String(length=150), nullable=False),
        sa.Column("counsellor_id", sa.String(length=128), nullable=True),
        sa.Column("staff_id", sa.String(length=128), nullable=True),
        sa.Column("client_id", sa.String(length=128), nullable=True),
        sa.Column("group_id", sa.String(length=128), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("args", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mail_status", sa.String(length=20), nullable=False, server_default="none"),
        sa.Column("mail_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("mail_next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mail_error", sa.String(length=500), nullable=True),
        sa.Column("mailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["counsellor_id"], ["counsellors.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "ref", "recipient", name="uq_notices_kind_ref_recipient"),
    )
    op.create_index("ix_notices_recipient", "notices", ["recipient"])
    op.create_index("ix_notices_mail_status", "notices", ["mail_status"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("group_id", sa.String(length=128), nullable=True),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("given_by", sa.String(length=200), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_feedback_given_on", "feedback", ["given_on"])


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("notices")
    with op.batch_alter_table("planning_settings") as batch:
        batch.drop_column("feedback_questions")
    for table in ("staff", "counsellors"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("lang")
            batch.drop_column("email")
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_column("next_step")
        batch.drop_column("end_reason")
    op.drop_table("attendance")
