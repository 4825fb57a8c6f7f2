"""Job templates in the database: list, read, create, duplicate, rename, delete.

The read-only rule for built-ins is enforced here, below every caller, so neither the GUI
nor the CLI nor a script can modify one by mistake.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from sqlalchemy import Engine, delete, func, select, update

from campaign_desktop.domain.errors import NotFoundError, ReadOnlyError, UserError
from campaign_desktop.domain.template import JobKind, JobTemplate
from campaign_desktop.storage.builtins import LEGACY_INTERNAL_NAMES
from campaign_desktop.storage.schema import job_templates

_COLUMNS = (
    job_templates.c.id, job_templates.c.internal_name, job_templates.c.label,
    job_templates.c.description, job_templates.c.kind, job_templates.c.folder,
    job_templates.c.read_only, job_templates.c.created_by, job_templates.c.created_at,
    job_templates.c.settings,
)


def _from_row(row) -> JobTemplate:  # type: ignore[no-untyped-def]
    tpl = JobTemplate(
        kind=JobKind(row.kind), label=row.label, internal_name=row.internal_name,
        description=row.description, folder=row.folder, read_only=bool(row.read_only),
        created_by=row.created_by, created_at=row.created_at, id=row.id,
    )
    tpl.set_settings_document(json.loads(row.settings))
    return tpl


class TemplateRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def list(self, kind: JobKind | None = None) -> list[JobTemplate]:
        q = select(*_COLUMNS).order_by(job_templates.c.read_only.desc(), job_templates.c.label)
        if kind is not None:
            q = q.where(job_templates.c.kind == kind.value)
        with self._engine.connect() as conn:
            return [_from_row(r) for r in conn.execute(q)]

    def get(self, ref: str | int) -> JobTemplate:
        """A template by id, internal name or label (case-insensitive), as users name them."""
        with self._engine.connect() as conn:
            if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
                row = conn.execute(select(*_COLUMNS).where(job_templates.c.id == int(ref))).first()
            else:
                name = LEGACY_INTERNAL_NAMES.get(ref, ref)
                row = conn.execute(select(*_COLUMNS).where(job_templates.c.internal_name == name)).first()
                if row is None:
                    row = conn.execute(
                        select(*_COLUMNS).where(func.lower(job_templates.c.label) == ref.lower())
                    ).first()
        if row is None:
            raise NotFoundError(
                f"No job template named '{ref}'. 'campaign-desktop templates list' shows them."
            )
        return _from_row(row)

    def unique_internal_name(self, base: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "", base) or "template"
        base = base[:56]
        with self._engine.connect() as conn:
            taken = set(conn.execute(
                select(job_templates.c.internal_name).where(job_templates.c.internal_name.like(f"{base}%"))
            ).scalars())
        return _first_free(base, taken, "{base}{n}")

    def unique_label(self, base: str) -> str:
        with self._engine.connect() as conn:
            taken = set(conn.execute(select(job_templates.c.label)).scalars())
        return _first_free(base, taken, "{base} ({n})")

    def add(self, tpl: JobTemplate) -> JobTemplate:
        """Store a new user template (never read-only) and return it with its id."""
        now = datetime.now().replace(microsecond=0)
        if not tpl.label.strip():
            raise UserError("A template needs a label.")
        tpl.read_only = False
        tpl.internal_name = self.unique_internal_name(tpl.internal_name or tpl.label)
        tpl.created_at = tpl.created_at or now
        with self._engine.begin() as conn:
            tpl.id = conn.execute(
                job_templates.insert().values(
                    internal_name=tpl.internal_name, label=tpl.label, description=tpl.description,
                    kind=tpl.kind.value, folder=tpl.folder, read_only=False, created_by=tpl.created_by,
                    created_at=tpl.created_at, modified_at=now,
                    settings=json.dumps(tpl.settings_document(), ensure_ascii=False, sort_keys=True),
                ).returning(job_templates.c.id)
            ).scalar_one()
        return tpl

    def duplicate(self, ref: str | int, label: str | None = None, created_by: str = "") -> JobTemplate:
        """An editable copy: 'Copy of <label>' and a unique internal name, as Campaign does."""
        src = self.get(ref)
        copy = src.copy()
        copy.id = None
        copy.read_only = False
        copy.label = label or self.unique_label(f"Copy of {src.label}")
        copy.internal_name = self.unique_internal_name(src.internal_name)
        copy.created_by = created_by
        copy.created_at = None
        return self.add(copy)

    def save(self, tpl: JobTemplate) -> JobTemplate:
        """Write an edited user template back."""
        if tpl.id is None:
            return self.add(tpl)
        self._check_writable(tpl.id)
        if not tpl.label.strip():
            raise UserError("A template needs a label.")
        with self._engine.begin() as conn:
            conn.execute(
                update(job_templates).where(job_templates.c.id == tpl.id).values(
                    label=tpl.label, description=tpl.description, folder=tpl.folder,
                    modified_at=datetime.now().replace(microsecond=0),
                    settings=json.dumps(tpl.settings_document(), ensure_ascii=False, sort_keys=True),
                )
            )
        return tpl

    def rename(self, ref: str | int, label: str) -> JobTemplate:
        tpl = self.get(ref)
        if not label.strip():
            raise UserError("A template needs a label.")
        tpl.label = label.strip()
        return self.save(tpl)

    def delete(self, ref: str | int) -> None:
        tpl = self.get(ref)
        assert tpl.id is not None
        self._check_writable(tpl.id)
        with self._engine.begin() as conn:
            conn.execute(delete(job_templates).where(job_templates.c.id == tpl.id))

    def _check_writable(self, template_id: int) -> None:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(job_templates.c.read_only, job_templates.c.label)
                .where(job_templates.c.id == template_id)
            ).first()
        if row is None:
            raise NotFoundError(f"Job template {template_id} no longer exists.")
        if row.read_only:
            raise ReadOnlyError(
                f"'{row.label}' is a built-in template and cannot be modified. "
                "Duplicate it to make your own copy."
            )


def _first_free(base: str, taken: set[str], pattern: str) -> str:
    """``base`` itself if free, else the first numbered variant (2, 3, …) not yet taken."""
    if base not in taken:
        return base
    n = 2
    while pattern.format(base=base, n=n) in taken:
        n += 1
    return pattern.format(base=base, n=n)
