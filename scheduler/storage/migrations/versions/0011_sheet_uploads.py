"""sheet uploads: files kept between the import page's preview and the go-ahead

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sheet_uploads",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token", "position"),
    )
    op.create_index("ix_sheet_uploads_uploaded_at", "sheet_uploads", ["uploaded_at"])


def downgrade() -> None:
    op.drop_index("ix_sheet_uploads_uploaded_at", table_name="sheet_uploads")
    op.drop_table("sheet_uploads")
