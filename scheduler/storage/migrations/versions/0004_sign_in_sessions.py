"""sign-in sessions kept by the server, token expiry, idempotency keys per caller

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PRIMARY_KEY = "idempotency_keys_pkey"  # PostgreSQL's own name for the table's primary key
LEGACY_CALLER = "before-0004"
"""Keys stored before keys had a caller: nobody's, so never replayed to anyone (they expire within a day anyway)."""


def _primary_key(columns: list[str]) -> None:
    """Make the idempotency keys' primary key the columns (SQLite: the table is copied; PostgreSQL: altered)."""
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(PRIMARY_KEY, "idempotency_keys", type_="primary")
        op.create_primary_key(PRIMARY_KEY, "idempotency_keys", columns)
        return
    table = sa.Table(
        "idempotency_keys",
        sa.MetaData(),
        sa.Column("caller", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(*columns),
    )
    with op.batch_alter_table("idempotency_keys", recreate="always", copy_from=table):
        pass


def upgrade() -> None:
    op.create_table(
        "sign_in_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["token_id"], ["api_tokens.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_in_sessions_token_id", "sign_in_sessions", ["token_id"])
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(sa.Column("caller", sa.String(length=200), nullable=False, server_default=LEGACY_CALLER))
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.alter_column("caller", existing_type=sa.String(length=200), server_default=None)
    _primary_key(["caller", "key"])


def downgrade() -> None:
    # One answer per key again: keep each key's newest record (callers' keys could have met).
    op.execute(
        "DELETE FROM idempotency_keys WHERE EXISTS (SELECT 1 FROM idempotency_keys AS other"
        " WHERE other.key = idempotency_keys.key AND (other.created_at > idempotency_keys.created_at"
        " OR (other.created_at = idempotency_keys.created_at AND other.caller > idempotency_keys.caller)))"
    )
    _primary_key(["key"])
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("caller")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
    op.drop_index("ix_sign_in_sessions_token_id", "sign_in_sessions")
    op.drop_table("sign_in_sessions")
