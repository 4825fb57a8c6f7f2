"""The façade the GUI and the CLI call: one object per open database.

Everything a user can do goes through here, so the CLI and the GUI behave the same and the
rules (read-only built-ins, validation, job accounting) live below both of them.
"""

from __future__ import annotations

import getpass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.job import ProgressSink, RunControl
from campaign_desktop.domain.options import apply_options
from campaign_desktop.domain.template import JobKind, JobTemplate
from campaign_desktop.storage.builtins import builtin_templates
from campaign_desktop.storage.database import create_db_engine, describe
from campaign_desktop.storage.jobs_repo import JobRepository
from campaign_desktop.storage.schema import recipients
from campaign_desktop.storage.templates_repo import TemplateRepository

if TYPE_CHECKING:  # loaded on use: a headless export or import needs neither
    from campaign_desktop.storage.browse import Browser
    from campaign_desktop.storage.recipients_repo import RecipientRepository


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
        self.jobs = JobRepository(engine)
        # A job left "running" by a process that died is Interrupted, with true counts.
        self.interrupted_on_open = self.jobs.mark_interrupted()

    @cached_property
    def recipients(self) -> RecipientRepository:
        """Edits from the Recipients / Lists views."""
        from campaign_desktop.storage.recipients_repo import RecipientRepository

        return RecipientRepository(self.engine)

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

    def browse(self) -> Browser:
        """Read-only paged queries for the explorer lists (recipients, lists, services, jobs)."""
        from campaign_desktop.storage.browse import Browser

        return Browser(self.engine)

    # --- jobs ------------------------------------------------------------------------------

    def create_import_job(self, path: str, template: str | int | JobTemplate = "newImport", *,
                          options: list[str] | None = None, dry_run: bool = False, label: str | None = None,
                          parent_job_id: int | None = None) -> int:
        """A job that imports ``path`` with a template (+ command-line overrides), ready to run."""
        tpl = template if isinstance(template, JobTemplate) else self.templates.get(template)
        if tpl.kind is not JobKind.IMPORT:
            raise UserError(f"'{tpl.label}' is an export template; choose an import template.")
        tpl = apply_options(tpl, options or [])
        from pathlib import Path

        name = Path(path).name
        return self.jobs.create(tpl, label=label or f"{tpl.label}: {name}", source_path=str(Path(path).resolve()),
                                dry_run=dry_run, created_by=self.operator, parent_job_id=parent_job_id)

    def create_export_job(self, out_path: str, template: str | int | JobTemplate = "newExport", *,
                          options: list[str] | None = None, label: str | None = None) -> int:
        """A job that exports to ``out_path`` (a file, or a folder for the template's file name) with a template."""
        from campaign_desktop.export.preview import export_problems

        tpl = template if isinstance(template, JobTemplate) else self.templates.get(template)
        if tpl.kind is not JobKind.EXPORT:
            raise UserError(f"'{tpl.label}' is an import template; choose an export template.")
        tpl = apply_options(tpl, options or [])
        problems = export_problems(tpl.export_settings)  # type: ignore[arg-type]
        if problems:
            raise UserError("The export cannot run: " + "; ".join(problems))
        from pathlib import Path

        out = str(Path(out_path).expanduser().resolve()) + ("/" if out_path.endswith("/") else "")
        return self.jobs.create(tpl, label=label or f"{tpl.label}: {Path(out_path).name}", source_path=out,
                                created_by=self.operator)

    def preview_export(self, template: str | int | JobTemplate, lines: int = 200):  # type: ignore[no-untyped-def]
        """The first lines, the SQL and the matching count of an export (the wizard's Data preview)."""
        from campaign_desktop.export.preview import preview_export

        tpl = template if isinstance(template, JobTemplate) else self.templates.get(template)
        return preview_export(self.engine, tpl.export_settings, lines)  # type: ignore[arg-type]

    def count_export(self, template: str | int | JobTemplate) -> int:
        """How many recipients an export template selects (the filter builder's count)."""
        from campaign_desktop.export.preview import count_matching

        tpl = template if isinstance(template, JobTemplate) else self.templates.get(template)
        return count_matching(self.engine, tpl.export_settings)  # type: ignore[arg-type]

    def run_job(self, job_id: int, *, control: RunControl | None = None, progress: ProgressSink | None = None,
                resume: bool = False, reader: Any = None):  # type: ignore[no-untyped-def]
        """``reader``: see ``jobs.runner.run_job``."""
        from campaign_desktop.jobs.runner import run_job

        return run_job(self.engine, job_id, control=control, progress=progress, resume=resume, reader=reader)

    def export_rejects(self, job_id: int, out_path: str) -> int:
        from campaign_desktop.jobs.rejects_export import export_rejects

        return export_rejects(self.jobs, job_id, out_path)
