"""Make sure the built-in folders and templates exist (idempotent, safe for two processes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from campaign_desktop.storage.builtins import BUILTIN_FOLDERS, builtin_templates
from campaign_desktop.storage.schema import folders, job_templates


def seed_builtins(engine: Engine) -> None:
    now = datetime.now().replace(microsecond=0)
    for name, label, kind, parent in BUILTIN_FOLDERS:
        _insert_once(engine, folders, "name", name,
                     {"name": name, "label": label, "kind": kind, "parent_id": parent, "created": now})
    for tpl in builtin_templates():
        row = {
            "internal_name": tpl.internal_name, "label": tpl.label, "description": tpl.description,
            "kind": tpl.kind.value, "folder": tpl.folder, "read_only": True,
            "created_by": tpl.created_by, "created_at": now, "modified_at": now,
            "settings": _settings_json(tpl),
        }
        if not _insert_once(engine, job_templates, "internal_name", tpl.internal_name, row):
            # Keep built-ins as this version of the app defines them (they are read-only).
            with engine.begin() as conn:
                conn.execute(
                    update(job_templates)
                    .where(job_templates.c.internal_name == tpl.internal_name, job_templates.c.read_only)
                    .values(label=tpl.label, description=tpl.description, settings=row["settings"])
                )


def _settings_json(tpl) -> str:  # type: ignore[no-untyped-def]
    import json

    return json.dumps(tpl.settings_document(), ensure_ascii=False, sort_keys=True)


def _insert_once(engine: Engine, table, key: str, value: str, row: dict) -> bool:  # type: ignore[no-untyped-def]
    """Insert ``row`` unless a row with that key exists; True when it inserted."""
    with engine.connect() as conn:
        if conn.execute(select(table.c.id).where(table.c[key] == value)).first():
            return False
    try:
        with engine.begin() as conn:
            conn.execute(table.insert().values(**row))
        return True
    except IntegrityError:  # another process seeded it between our check and our insert
        return False
