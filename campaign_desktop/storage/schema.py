"""The database schema (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Core tables rather than ORM classes: the import hot path writes in bulk through the driver
(see ``reference/speed-limits.md``), the GUI models page through plain selects, and Alembic
migrations are generated from this metadata. The recipient columns come from the one field
catalogue in :mod:`campaign_desktop.domain.recipient_fields`.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from campaign_desktop.domain.recipient_fields import RECIPIENT_FIELDS, FieldType
from campaign_desktop.storage.search_key import SEARCH_INDEXES, search_key

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

folders = Table(
    "folders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),  # internal name
    Column("label", String(128), nullable=False),
    Column("kind", String(32), nullable=False),  # recipients | jobs | templates | lists
    Column("parent_id", Integer, ForeignKey("folders.id", ondelete="CASCADE")),
    Column("created", DateTime, nullable=False),
)


def _recipient_column(name: str, ftype: FieldType, length: int | None) -> Column:
    if ftype is FieldType.TEXT:
        return Column(name, String(length) if length and length <= 255 else Text)
    if ftype is FieldType.INTEGER:
        return Column(name, SmallInteger)
    if ftype is FieldType.DATE:
        return Column(name, Date)
    if ftype is FieldType.DATETIME:
        return Column(name, DateTime)
    if ftype is FieldType.BOOLEAN:
        return Column(name, Boolean, nullable=False, server_default="0", default=False)
    return Column(name, Float)


_PROFILE_COLUMNS = [
    _recipient_column(f.name, f.type, f.length)
    for f in RECIPIENT_FIELDS
    if f.name not in ("id", "created", "last_modified")
]

recipients = Table(
    "recipients",
    metadata,
    Column("id", Integer, primary_key=True),
    *_PROFILE_COLUMNS,
    Column("folder_id", Integer, ForeignKey("folders.id", ondelete="SET NULL")),
    Column("created", DateTime, nullable=False),
    Column("last_modified", DateTime, nullable=False),
    Column("created_by_job_id", Integer),
    Column("modified_by_job_id", Integer),
    Index("ix_recipients_folder_id", "folder_id"),
)

# The quick search, the sorts of the Recipients view and the reconciliation lookups by email or account:
# case-insensitive keys as index ranges (storage/search_key.py; created by migration 0002, the only
# indexes on these columns since 0003).
for _name, _column in SEARCH_INDEXES.items():
    Index(_name, search_key(recipients.c[_column]))

lists = Table(
    "lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("label", String(128), nullable=False),
    Column("folder_id", Integer, ForeignKey("folders.id", ondelete="SET NULL")),
    Column("created", DateTime, nullable=False),
    Column("last_modified", DateTime, nullable=False),
)

list_members = Table(
    "list_members",
    metadata,
    Column("list_id", Integer, ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True),
    Column("recipient_id", Integer, ForeignKey("recipients.id", ondelete="CASCADE"), primary_key=True),
    Column("added", DateTime, nullable=False),
    Index("ix_list_members_recipient_id", "recipient_id"),
)

services = Table(
    "services",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("label", String(128), nullable=False),
    Column("created", DateTime, nullable=False),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("service_id", Integer, ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("recipient_id", Integer, ForeignKey("recipients.id", ondelete="CASCADE"), primary_key=True),
    Column("created", DateTime, nullable=False),
    Index("ix_subscriptions_recipient_id", "recipient_id"),
)

job_templates = Table(
    "job_templates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("internal_name", String(64), nullable=False, unique=True),
    Column("label", String(128), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("kind", String(16), nullable=False),
    Column("folder", String(128), nullable=False),
    Column("read_only", Boolean, nullable=False, server_default="0"),
    Column("created_by", String(64), nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    Column("modified_at", DateTime, nullable=False),
    Column("settings", Text, nullable=False),  # JSON, validated by domain.template
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("template_id", Integer, ForeignKey("job_templates.id", ondelete="SET NULL")),
    Column("parent_job_id", Integer, ForeignKey("jobs.id", ondelete="SET NULL")),  # re-import of rejects
    Column("label", String(128), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("kind", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("template_snapshot", Text, nullable=False),  # the template document the job runs with
    Column("source_path", Text, nullable=False, server_default=""),
    Column("dry_run", Boolean, nullable=False, server_default="0"),
    Column("created_by", String(64), nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    Column("started_at", DateTime),
    Column("ended_at", DateTime),
    Column("heartbeat_at", DateTime),  # a running job older than this by far is Interrupted
    Column("owner", String(128), nullable=False, server_default=""),  # host:pid running it
    Column("total", BigInteger, nullable=False, server_default="0"),
    Column("processed", BigInteger, nullable=False, server_default="0"),
    Column("success", BigInteger, nullable=False, server_default="0"),
    Column("inserted", BigInteger, nullable=False, server_default="0"),
    Column("updated", BigInteger, nullable=False, server_default="0"),
    Column("deleted", BigInteger, nullable=False, server_default="0"),
    Column("ignored", BigInteger, nullable=False, server_default="0"),
    Column("rejected", BigInteger, nullable=False, server_default="0"),
    Column("empty", BigInteger, nullable=False, server_default="0"),
    Column("errors", BigInteger, nullable=False, server_default="0"),
    Column("warnings", BigInteger, nullable=False, server_default="0"),
    Column("doubles", BigInteger, nullable=False, server_default="0"),
    Column("duplicates", BigInteger, nullable=False, server_default="0"),
    Column("unchanged", BigInteger, nullable=False, server_default="0"),
    Column("denylist_kept", BigInteger, nullable=False, server_default="0"),
    Column("bytes_total", BigInteger, nullable=False, server_default="0"),
    Column("bytes_read", BigInteger, nullable=False, server_default="0"),
    Column("lines_read", BigInteger, nullable=False, server_default="0"),
    Column("resume_state", Text, nullable=False, server_default=""),  # JSON: where to resume
    Column("message", Text, nullable=False, server_default=""),
    Index("ix_jobs_status", "status"),
    Index("ix_jobs_template_id", "template_id"),
)

job_journal = Table(
    "job_journal",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", Integer, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("level", String(16), nullable=False),
    Column("code", String(32), nullable=False, server_default=""),
    Column("message", Text, nullable=False),
    Index("ix_job_journal_job_id", "job_id", "id"),
)

job_rejects = Table(
    "job_rejects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", Integer, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("line_no", BigInteger, nullable=False),
    Column("raw_line", Text, nullable=False),
    Column("reason_code", String(48), nullable=False),
    Column("message", Text, nullable=False),
    Column("connector", String(16), nullable=False),
    Column("field", String(64), nullable=False, server_default=""),
    Column("value", Text, nullable=False, server_default=""),
    Column("details", Text, nullable=False, server_default=""),  # JSON: per-field errors and values
    Column("at", DateTime, nullable=False),
    Index("ix_job_rejects_job_id", "job_id", "line_no"),
    UniqueConstraint("job_id", "line_no", name="uq_job_rejects_job_id_line_no"),
)

# Enumeration values learnt from imports (City, Company, Origin...): Campaign's open enumerations.
enum_values = Table(
    "enum_values",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enum", String(64), nullable=False),
    Column("value", String(255), nullable=False),
    UniqueConstraint("enum", "value", name="uq_enum_values_enum_value"),
)
