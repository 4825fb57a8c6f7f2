"""Job templates: every option of Campaign's import and export wizards, as plain data.

A template (and a job, which carries a snapshot of one) is the single description of what
an import or an export does. The wizard pages edit a draft of it, the CLI reads it from
the database or a JSON file and overrides options with ``--option KEY=VALUE``, and the
engine only ever reads it. The JSON form is documented in ``docs/templates.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.serialization import FormatError, from_jsonable, to_jsonable

TEMPLATE_FORMAT = "campaign-desktop/job-template"
TEMPLATE_VERSION = 1


class JobKind(StrEnum):
    IMPORT = "import"
    EXPORT = "export"


# --- Import: file format (spec §4.4-4.5) -------------------------------------------------


class FileType(StrEnum):
    DELIMITED = "delimited"
    FIXED = "fixed"
    XLSX = "xlsx"


class Transform(StrEnum):
    """Case transformation of a text value."""

    NONE = "none"
    UPPER = "upper"
    LOWER = "lower"
    TITLE = "title"  # First letter in upper case (each word)


class EmptyRule(StrEnum):
    """Allow NULLs: what an empty value means."""

    DEFAULT = "default"  # Campaign default: error for empty numbers, NULL for the rest
    EMPTY_OK = "empty_ok"  # empty is stored as NULL
    REQUIRED = "required"  # an empty value is an error


class OnError(StrEnum):
    """Error processing of a column value that does not convert."""

    IGNORE = "ignore"  # ignore the value, log a warning
    REJECT_LINE = "reject_line"
    DEFAULT = "default"  # use the default value
    REJECT_IF_UNMAPPED = "reject_if_unmapped"  # reject the line when there is no remapping value
    DEFAULT_IF_UNMAPPED = "default_if_unmapped"  # use the default when the value is not remapped


@dataclass
class ColumnFormat:
    """How one source column is read and converted (File format dialog, Columns section)."""

    name: str
    label: str = ""
    ignore: bool = False
    type: FieldType = FieldType.TEXT
    length: int | None = None
    date_format: str = ""  # e.g. "DD/MM/YYYY"; empty: detected
    decimal_separator: str = "."
    transform: Transform = Transform.NONE
    trim: bool = True
    empty_rule: EmptyRule = EmptyRule.DEFAULT
    on_error: OnError = OnError.REJECT_LINE
    default: str = ""
    remap: dict[str, str] = field(default_factory=dict)
    width: int | None = None  # fixed-width files only


@dataclass
class FileFormat:
    """The General section of the File format dialog; 'auto' means detect from the file."""

    file_type: FileType | None = None  # None: from the file name / content
    encoding: str = "auto"
    lines_to_ignore: int = 0
    header: bool | None = None  # None: detect whether the first line holds column names
    separator: str = "auto"  # "," ";" "\t" "|" " " or any single character
    string_delimiter: str = '"'  # '"', "'" or "" for none
    merge_consecutive_separators: bool = False
    sheet: str = ""  # xlsx: sheet name, empty for the first
    header_row: int = 0  # xlsx: 1-based row of the header, 0 to detect
    columns: list[ColumnFormat] = field(default_factory=list)  # empty: detected from the file


# --- Import: mapping (spec §4.6) -------------------------------------------------------------


@dataclass
class FieldMapping:
    """One line of the mapping grid: a source column (or calculated field) to a recipient field."""

    source: str
    destination: str
    transform: Transform = Transform.NONE


class CalculatedKind(StrEnum):
    FIXED = "fixed"  # a constant
    TEMPLATE = "template"  # text with {column} placeholders
    EXPRESSION = "expression"  # a small safe expression language, never Python eval
    ENUMERATION = "enumeration"  # source value -> destination value


class OtherCases(StrEnum):
    KEEP = "keep"
    VALUE = "value"
    WARNING = "warning"
    ERROR = "error"


@dataclass
class CalculatedField:
    name: str
    label: str = ""
    kind: CalculatedKind = CalculatedKind.FIXED
    body: str = ""
    source: str = ""  # enumeration: the source column
    values: dict[str, str] = field(default_factory=dict)  # enumeration: source -> destination
    other_cases: OtherCases = OtherCases.KEEP
    other_value: str = ""


# --- Import: reconciliation (spec §4.7) --------------------------------------------------------


class Operation(StrEnum):
    UPSERT = "upsert"  # Update or insert
    INSERT = "insert"
    UPDATE = "update"
    RECONCILE_ONLY = "reconcile_only"
    DELETE = "delete"


class DoublesPolicy(StrEnum):
    """Lines of the file sharing a key (doubles) or matching the database (duplicates)."""

    UPDATE = "update"
    IGNORE = "ignore"
    REJECT = "reject"


@dataclass
class FieldRule:
    """Per-field options of the Reconciliation screen."""

    field: str
    update_if_source_empty: bool = False
    update_only_if_destination_empty: bool = False
    only_on_insert: bool = False


@dataclass
class Reconciliation:
    operation: Operation = Operation.UPSERT
    key1: list[str] = field(default_factory=lambda: ["email"])
    key2: list[str] = field(default_factory=list)  # used for lines whose key #1 is empty
    doubles: DoublesPolicy = DoublesPolicy.UPDATE
    duplicates: DoublesPolicy = DoublesPolicy.UPDATE
    field_rules: list[FieldRule] = field(default_factory=list)


# --- Import: recipients step (spec §4.9) -------------------------------------------------------


class FolderMode(StrEnum):
    NONE = "none"  # do not import into a specific folder
    DEFAULT = "default"  # the default recipients folder
    EXISTING = "existing"


class ListMode(StrEnum):
    NONE = "none"
    ADD = "add"  # add to a list (created if it does not exist)
    RECREATE = "recreate"  # empty the list first


@dataclass
class RecipientsStep:
    folder_mode: FolderMode = FolderMode.DEFAULT
    folder: str = ""
    list_mode: ListMode = ListMode.NONE
    list_name: str = ""
    service: str = ""  # subscribe to this service (created if it does not exist)
    send_confirmation: bool = False
    origin: str = ""
    set_flags: list[str] = field(default_factory=list)  # e.g. ["blacklist_email"] for Import denylist


# --- Advanced parameters (spec §4.2) --------------------------------------------------------------


@dataclass
class AdvancedParameters:
    stop_on_rejects: bool = True
    max_rejects: int = 100
    trace: bool = False
    start_line: int = 1  # first data line to import (1-based, after header and ignored lines)
    line_limit: int = 0  # 0: no limit
    batch_size: int = 5000
    update_enumerations: bool = True


@dataclass
class ImportSettings:
    file_format: FileFormat = field(default_factory=FileFormat)
    guess_mapping: bool = True  # map columns by name when ``mapping`` is empty
    mapping: list[FieldMapping] = field(default_factory=list)
    calculated_fields: list[CalculatedField] = field(default_factory=list)
    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    recipients: RecipientsStep = field(default_factory=RecipientsStep)
    advanced: AdvancedParameters = field(default_factory=AdvancedParameters)
    source_path: str = ""


# --- Export (spec §5) ----------------------------------------------------------------------------


class OutputFormat(StrEnum):
    TEXT = "text"  # delimited text
    CSV = "csv"
    FIXED = "fixed"
    XLSX = "xlsx"


@dataclass
class ExportColumn:
    expression: str  # a recipient field name, or an expression over fields
    label: str = ""
    transform: Transform = Transform.NONE
    date_format: str = ""
    enum_labels: bool = True  # enumeration labels ("Female") rather than internal values (2)
    width: int | None = None  # fixed width only


@dataclass
class SortKey:
    expression: str
    descending: bool = False


@dataclass
class Condition:
    """A filter node: either a group (``op`` and/or with ``children``) or a comparison.

    Operators (see ``campaign_desktop.export.conditions.OPERATORS`` and docs/templates.md):
    and, or, equals, not_equals, contains, starts_with, in, is_empty, is_not_empty, before, after,
    on_or_before, on_or_after, in_last_days, denylisted, not_denylisted, member_of, subscribed_to.
    """

    op: str = "and"
    children: list[Condition] = field(default_factory=list)
    field: str = ""
    value: Any = None


@dataclass
class ExportOutput:
    format: OutputFormat = OutputFormat.CSV
    separator: str = ","
    string_delimiter: str = '"'
    header: bool = True
    line_end: str = "\n"
    encoding: str = "utf-8"
    bom: bool = False
    date_format: str = "YYYY-MM-DD"
    datetime_format: str = "YYYY-MM-DD hh:mm:ss"  # fields holding a time of day (creation, modification)
    decimal_separator: str = "."
    file_name: str = "export-{date}.csv"  # tokens: {date} {time} {template} {count}
    escape_formulas: bool = True  # cells starting with = + - @ tab CR get a leading ' (spreadsheet safety)


@dataclass
class ExportSettings:
    document_type: str = "recipients"  # or "list:<name>"
    columns: list[ExportColumn] = field(default_factory=list)
    distinct: bool = False
    sort: list[SortKey] = field(default_factory=list)
    filter: Condition | None = None
    output: ExportOutput = field(default_factory=ExportOutput)
    line_limit: int = 0
    differential: bool = False  # only recipients modified since this template's last successful run
    differential_field: str = "last_modified"  # the modification date the differential export compares
    advanced: AdvancedParameters = field(default_factory=AdvancedParameters)


# --- The template ------------------------------------------------------------------------------


@dataclass
class JobTemplate:
    """A saved wizard configuration; built-ins are read-only (duplicate them)."""

    kind: JobKind
    label: str
    internal_name: str
    description: str = ""
    folder: str = "Job templates"
    read_only: bool = False
    created_by: str = ""
    created_at: datetime | None = None
    id: int | None = None
    import_settings: ImportSettings | None = None
    export_settings: ExportSettings | None = None

    @property
    def settings(self) -> ImportSettings | ExportSettings:
        s = self.import_settings if self.kind is JobKind.IMPORT else self.export_settings
        assert s is not None, "a template always carries the settings of its kind"
        return s

    def settings_document(self) -> dict[str, Any]:
        """The settings part as JSON values (what the database stores)."""
        return to_jsonable(self.settings)

    def to_document(self) -> dict[str, Any]:
        """The documented, versioned JSON form (docs/templates.md)."""
        return {
            "format": TEMPLATE_FORMAT,
            "version": TEMPLATE_VERSION,
            "kind": self.kind.value,
            "internal_name": self.internal_name,
            "label": self.label,
            "description": self.description,
            "folder": self.folder,
            "read_only": self.read_only,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(timespec="seconds") if self.created_at else None,
            "settings": self.settings_document(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_document(), indent=2, ensure_ascii=False)

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> JobTemplate:
        """Read the JSON form, refusing other formats, newer versions and unknown settings."""
        if not isinstance(doc, dict) or doc.get("format") != TEMPLATE_FORMAT:
            raise FormatError(f"not a job template (expected \"format\": \"{TEMPLATE_FORMAT}\")")
        version = doc.get("version")
        if not isinstance(version, int) or version > TEMPLATE_VERSION or version < 1:
            raise FormatError(f"template version {version!r} is not supported (this app reads 1)")
        try:
            kind = JobKind(doc.get("kind"))
        except ValueError:
            raise FormatError(f"kind: {doc.get('kind')!r} is not one of import, export") from None
        label = doc.get("label")
        name = doc.get("internal_name")
        if not isinstance(label, str) or not label.strip():
            raise FormatError("label: a template needs a label")
        if not isinstance(name, str) or not name.strip():
            raise FormatError("internal_name: a template needs an internal name")
        created = doc.get("created_at")
        tpl = cls(
            kind=kind,
            label=label,
            internal_name=name,
            description=str(doc.get("description") or ""),
            folder=str(doc.get("folder") or "Job templates"),
            read_only=bool(doc.get("read_only", False)),
            created_by=str(doc.get("created_by") or ""),
            created_at=datetime.fromisoformat(created) if isinstance(created, str) else None,
        )
        tpl.set_settings_document(doc.get("settings") or {})
        return tpl

    @classmethod
    def from_json(cls, text: str) -> JobTemplate:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormatError(f"not valid JSON: {exc}") from None
        return cls.from_document(doc)

    def set_settings_document(self, settings: dict[str, Any]) -> None:
        if self.kind is JobKind.IMPORT:
            self.import_settings = from_jsonable(ImportSettings, settings, "settings")
            self.export_settings = None
        else:
            self.export_settings = from_jsonable(ExportSettings, settings, "settings")
            self.import_settings = None

    def copy(self) -> JobTemplate:
        """A deep copy (through the JSON form, so it is exactly what would be saved)."""
        tpl = JobTemplate.from_document(self.to_document())
        tpl.id = self.id
        return tpl


def new_import_template(label: str, internal_name: str, **kw: Any) -> JobTemplate:
    return JobTemplate(JobKind.IMPORT, label, internal_name, import_settings=ImportSettings(), **kw)


def new_export_template(label: str, internal_name: str, **kw: Any) -> JobTemplate:
    return JobTemplate(JobKind.EXPORT, label, internal_name, export_settings=ExportSettings(), **kw)


__all__ = [name for name in dir() if not name.startswith("_")]
