"""recipient search keys: expression indexes for case-insensitive prefix search and sorting

The Recipients view searches "dup" in a million recipients as an index range on
``lower(col)`` (byte order: ``COLLATE "C"`` on PostgreSQL); see storage/search_key.py.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 21:00:00
"""

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_recipients_email_key": "email",
    "ix_recipients_last_name_key": "last_name",
    "ix_recipients_account_key": "account",
}


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, column in _INDEXES.items():
        expr = f'(lower({column}) COLLATE "C")' if postgres else f"lower({column})"
        op.execute(f"CREATE INDEX {name} ON recipients ({expr})")
    if postgres:
        op.execute("ANALYZE recipients")


def downgrade() -> None:
    for name in _INDEXES:
        op.execute(f"DROP INDEX {name}")
