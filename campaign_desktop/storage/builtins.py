"""The built-in job templates and folders every database starts with (spec §3).

Built-ins are read-only: users duplicate them. Their settings live here, in code, so an
upgrade of the app can improve them; ``seed_builtins`` refreshes the stored copies.
"""

from __future__ import annotations

from campaign_desktop.domain.template import (
    FieldMapping,
    FileFormat,
    JobTemplate,
    ListMode,
    RecipientsStep,
    Reconciliation,
    Transform,
    new_export_template,
    new_import_template,
)

TEMPLATES_FOLDER = "Job templates"
JOBS_FOLDER = "Generic imports and exports"
DEFAULT_RECIPIENTS_FOLDER = "recipients"  # internal name of the default recipients folder

# (internal name, label, kind, parent internal name)
BUILTIN_FOLDERS: tuple[tuple[str, str, str, str | None], ...] = (
    ("recipients", "Recipients", "recipients", None),
    ("lists", "Lists", "lists", None),
    ("jobs", JOBS_FOLDER, "jobs", None),
    ("jobTemplates", TEMPLATES_FOLDER, "templates", None),
)


def builtin_templates() -> list[JobTemplate]:
    """Fresh copies of the four built-in templates."""
    common = {"folder": TEMPLATES_FOLDER, "read_only": True, "created_by": "Campaign Desktop"}
    new_import = new_import_template(
        "New text import", "newImport",
        description="Template used to start a new import from scratch", **common,
    )
    denylist = new_import_template(
        "Import denylist", "denylistImport",
        description="Template to import a list of email addresses to add to the denylist "
        "(formerly Import blacklist): one email column, lower-cased, update or insert on email, "
        "sets 'No longer contact by email'.",
        **common,
    )
    s = denylist.import_settings
    assert s is not None
    s.file_format = FileFormat()  # header or not: detected (a bare list of addresses has none)
    s.guess_mapping = False
    s.mapping = [FieldMapping(source="#1", destination="email", transform=Transform.LOWER)]
    s.reconciliation = Reconciliation(key1=["email"])
    s.recipients = RecipientsStep(set_flags=["blacklist_email"], origin="Denylist import")

    list_import = new_import_template(
        "Import recipients into a list", "listImport",
        description="Update or insert recipients on their email and add them to a list "
        "(choose the list before starting).",
        **common,
    )
    s = list_import.import_settings
    assert s is not None
    s.recipients = RecipientsStep(list_mode=ListMode.ADD)

    new_export = new_export_template(
        "New text export", "newExport",
        description="Template used to start a new export from scratch", **common,
    )
    return [new_import, denylist, list_import, new_export]


LEGACY_INTERNAL_NAMES = {"blacklistImport": "denylistImport", "blocklistImport": "denylistImport"}
"""Campaign's older names of the denylist template, accepted by ``templates show`` and ``--template``."""
