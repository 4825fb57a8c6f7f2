"""Alembic, driven from code: no alembic.ini to ship or find at run time.

Every start of the app or the CLI opens the database through :func:`upgrade`. Importing Alembic
costs about half a second, so a database already at the newest revision is recognised first by
reading its ``alembic_version`` row against the revisions of the migration files, and Alembic is
only loaded when there is something to migrate.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"""^(down_revision|revision)\s*(?::\s*[^=]+)?=\s*['"]?([\w-]+|None)['"]?""", re.M)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


@cache
def head_revision() -> str | None:
    """The newest revision of the migration files: the one no other revision follows."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            if found.get("down_revision", "None") != "None":
                followed.add(found["down_revision"])
    heads = revisions - followed
    return heads.pop() if len(heads) == 1 else None  # several heads: let Alembic sort it out


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema to ``revision``; make sure the built-in data and the recipients' indexes are there."""
    head = head_revision()
    if not (revision == "head" and head is not None and current_revision(engine) == head):
        from alembic import command

        command.upgrade(alembic_config(engine), revision)
    if revision == "head":
        from campaign_desktop.storage.bulk_indexes import restore_missing_indexes

        restore_missing_indexes(engine)  # what an import killed in bulk mode left dropped
    from campaign_desktop.storage.seed import seed_builtins

    seed_builtins(engine)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
