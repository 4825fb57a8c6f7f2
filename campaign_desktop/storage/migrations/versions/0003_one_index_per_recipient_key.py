"""one index per recipient key: drop the exact-case indexes the search keys of 0002 make redundant

``ix_recipients_email``, ``ix_recipients_account`` and ``ix_recipients_last_name`` index the same
columns as the case-insensitive search keys of 0002. Reconciliation now finds recipients through the
search keys (``lower(col)``, then the exact value compared in Python; see
storage/recipients_writer.py), and the Recipients view sorts on them, so the plain indexes only cost:
every imported recipient updated seven indexes instead of four (about a fifth of a first import).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 23:00:00
"""

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_recipients_email": "email",
    "ix_recipients_account": "account",
    "ix_recipients_last_name": "last_name",
}


def upgrade() -> None:
    for name in _INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")


def downgrade() -> None:
    for name, column in _INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON recipients ({column})")
