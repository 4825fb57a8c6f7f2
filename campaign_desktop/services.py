"""The façade the GUI and the CLI call: one object per open database.

Everything a user can do goes through here, so the CLI and the GUI behave the same and the
rules (read-only built-ins, validation, job accounting) live below both of them.
"""

from __future__ import annotations

import getpass

from sqlalchemy import Engine, func, select

from campaign_desktop.domain.template import JobKind, JobTemplate
from campaign_desktop.storage.builtins import builtin_templates
from campaign_desktop.storage.database import create_db_engine, describe
from campaign_desktop.storage.schema import recipients
from campaign_desktop.storage.templates_repo import TemplateRepository


def current_operator() -> str:
    """The operator name stamped on what a user creates (Created by)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some sandboxes
        return "operator"


class CampaignService:
    def __init__(self, engine: Engine, operator: str | None = None) -> None:
        self.engine = engine
        self.operator = operator or current_operator()
        self.templates = TemplateRepository(engine)

    @classmethod
    def open(cls, url: str | None = None) -> CampaignService:
        """Open (and migrate) the database at ``url``, the environment's, or the embedded default."""
        return cls(create_db_engine(url))

    @property
    def database_description(self) -> str:
        return describe(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- templates -------------------------------------------------------------------------

    def duplicate_template(self, ref: str | int, label: str | None = None) -> JobTemplate:
        return self.templates.duplicate(ref, label=label, created_by=self.operator)

    def new_template(self, kind: JobKind, label: str | None = None) -> JobTemplate:
        """A user template started from the blank built-in of its kind (New text import/export)."""
        base = next(t for t in builtin_templates() if t.kind is kind and t.internal_name.startswith("new"))
        tpl = base.copy()
        tpl.read_only = False
        default_label = "New import template" if kind is JobKind.IMPORT else "New export template"
        tpl.label = label or self.templates.unique_label(default_label)
        tpl.internal_name = "importTemplate" if kind is JobKind.IMPORT else "exportTemplate"
        tpl.description = ""
        tpl.created_by = self.operator
        tpl.created_at = None
        return self.templates.add(tpl)

    # --- recipients ------------------------------------------------------------------------

    def count_recipients(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(recipients)).scalar_one())
