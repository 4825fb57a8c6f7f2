"""Checks on a template's settings, shared by the wizard pages and the CLI.

Each check returns sentences a marketer can act on; an empty list means "can run". The
wizard shows them inline on the page concerned, the CLI prints them before doing anything.
"""

from __future__ import annotations

import codecs

from campaign_desktop.domain.recipient_fields import DENYLIST_FIELDS, FIELDS_BY_NAME
from campaign_desktop.domain.template import (
    DoublesPolicy,
    FolderMode,
    ImportSettings,
    ListMode,
    Operation,
)


def file_format_problems(s: ImportSettings) -> list[str]:
    f = s.file_format
    out: list[str] = []
    if f.encoding != "auto":
        try:
            codecs.lookup(f.encoding)
        except LookupError:
            out.append(f"'{f.encoding}' is not an encoding this app knows (try utf-8, cp1252, latin-1, utf-16).")
    if f.separator != "auto" and len(f.separator) != 1:
        out.append("The column separator must be one character (or 'auto').")
    if f.string_delimiter not in ('"', "'", ""):
        out.append("The string delimiter must be a double quote, a single quote, or none.")
    if f.lines_to_ignore < 0:
        out.append("Lines to ignore cannot be negative.")
    return out


def mapping_problems(s: ImportSettings) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for m in s.mapping:
        f = FIELDS_BY_NAME.get(m.destination)
        if f is None or not f.importable:
            out.append(f"'{m.destination}' is not a recipient field that can be imported.")
        elif m.destination in seen:
            out.append(f"Two columns are mapped to {f.label}.")
        seen.add(m.destination)
    if not s.mapping and not s.guess_mapping:
        out.append("Map at least one column, or let the app guess the destination fields.")
    return out


def reconciliation_problems(s: ImportSettings) -> list[str]:
    r = s.reconciliation
    out: list[str] = []
    needs_key = not (r.operation is Operation.INSERT and r.doubles is DoublesPolicy.UPDATE)
    if needs_key and not r.key1:
        out.append("Choose a reconciliation key (key #1), for example the email.")
    for f in [*r.key1, *r.key2, *(rule.field for rule in r.field_rules)]:
        if f not in FIELDS_BY_NAME:
            out.append(f"'{f}' is not a recipient field.")
    if s.calculated_fields and {c.name for c in s.calculated_fields} & set(r.key1 + r.key2):
        out.append("A calculated field cannot be part of a reconciliation key.")
    return out


def recipients_problems(s: ImportSettings) -> list[str]:
    r = s.recipients
    out: list[str] = []
    if r.folder_mode is FolderMode.EXISTING and not r.folder.strip():
        out.append("Choose the folder to import into.")
    if r.list_mode is not ListMode.NONE and not r.list_name.strip():
        out.append("Choose the list to add the recipients to.")
    for flag in r.set_flags:
        if flag not in DENYLIST_FIELDS:
            out.append(f"'{flag}' is not a 'No longer contact' flag.")
    return out


def advanced_problems(s: ImportSettings) -> list[str]:
    a = s.advanced
    out: list[str] = []
    if a.max_rejects < 1:
        out.append("The reject limit must be at least 1.")
    if a.start_line < 1:
        out.append("The start line is counted from 1.")
    if a.line_limit < 0:
        out.append("The line limit cannot be negative (0 means no limit).")
    if not 100 <= a.batch_size <= 100_000:
        out.append("The batch size must be between 100 and 100,000 lines.")
    return out


def label_problems(label: str) -> list[str]:
    """A job and a template are found by their label: it is mandatory (spec §4.1)."""
    return [] if label.strip() else ["Give the import a label (it names the job in the list)."]


def source_problems(s: ImportSettings) -> list[str]:
    return [] if s.source_path.strip() else ["Choose the file to import."]


def key_mapping_problems(s: ImportSettings) -> list[str]:
    """Key fields no column feeds: every line would miss its key (only checked once mapped explicitly)."""
    r = s.reconciliation
    if not s.mapping or (r.operation is Operation.INSERT and r.doubles is DoublesPolicy.UPDATE):
        return []
    mapped = {m.destination for m in s.mapping}
    missing = [f for f in r.key1 if f not in mapped and f in FIELDS_BY_NAME]
    if not missing:
        return []
    names = ", ".join(FIELDS_BY_NAME[f].label for f in missing)
    return [f"The reconciliation key ({names}) is not mapped to any column: map it, or choose another key."]


def import_problems(s: ImportSettings) -> list[str]:
    return (file_format_problems(s) + mapping_problems(s) + reconciliation_problems(s)
            + recipients_problems(s) + advanced_problems(s))
