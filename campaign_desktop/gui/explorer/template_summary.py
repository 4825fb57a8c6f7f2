"""A job template's settings as plain sentences a marketer reads in the detail pane.

The detail pane answers "what will this template do?" without opening the wizard, in the
words of Campaign's screens (File format, Field mapping, Reconciliation, Import
recipients, Advanced parameters) and never as JSON. Pure functions: tested without a widget.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME
from campaign_desktop.domain.template import (
    AdvancedParameters,
    DoublesPolicy,
    ExportSettings,
    FileFormat,
    FileType,
    FolderMode,
    ImportSettings,
    JobKind,
    JobTemplate,
    ListMode,
    Operation,
    OutputFormat,
    Transform,
)
from campaign_desktop.gui.i18n import tr


@dataclass(frozen=True)
class SummarySection:
    """A titled group of sentences (one per wizard screen)."""

    title: str
    lines: list[str]


def field_label(name: str) -> str:
    f = FIELDS_BY_NAME.get(name)
    return tr(f.label) if f else name


def _fields(names: list[str]) -> str:
    return " + ".join(field_label(n) for n in names)


def _source(name: str) -> str:
    if name.startswith("#") and name[1:].isdigit():
        return tr("column {n}").format(n=name[1:])
    return f"“{name}”"


def _separator(sep: str) -> str:
    names = {",": tr("comma"), ";": tr("semicolon"), "\t": tr("tab"), "|": tr("vertical bar"),
             " ": tr("space")}
    return names.get(sep, f"“{sep}”")


TRANSFORMS = {
    Transform.LOWER: "lower case", Transform.UPPER: "upper case",
    Transform.TITLE: "first letter in upper case",
}
OPERATIONS = {
    Operation.UPSERT: "Update or insert", Operation.INSERT: "Insert", Operation.UPDATE: "Update",
    Operation.RECONCILE_ONLY: "Reconciliation only", Operation.DELETE: "Delete",
}
DOUBLES = {
    DoublesPolicy.UPDATE: "the last line wins", DoublesPolicy.IGNORE: "they are ignored",
    DoublesPolicy.REJECT: "they are rejected",
}
DUPLICATES = {
    DoublesPolicy.UPDATE: "the recipient is updated", DoublesPolicy.IGNORE: "the line is ignored",
    DoublesPolicy.REJECT: "the line is rejected",
}


def _file_format(ff: FileFormat) -> list[str]:
    kinds = {FileType.DELIMITED: tr("Delimited text file."), FileType.FIXED: tr("Fixed-width text file."),
             FileType.XLSX: tr("Excel workbook (.xlsx).")}
    lines = [kinds[ff.file_type] if ff.file_type else tr("File type detected from the file.")]
    if ff.file_type in (None, FileType.DELIMITED):
        sep = (tr("column separator detected from the file") if ff.separator == "auto"
               else tr("columns separated by {sep}").format(sep=_separator(ff.separator)))
        enc = (tr("encoding detected from the file") if ff.encoding == "auto"
               else tr("encoding {encoding}").format(encoding=ff.encoding))
        lines.append(sep[0].upper() + sep[1:] + ", " + enc + ".")
    if ff.file_type is FileType.XLSX and ff.sheet:
        lines.append(tr("Reads the sheet “{sheet}”.").format(sheet=ff.sheet))
    if ff.header is None:
        lines.append(tr("Whether the first line holds the column names is detected from the file."))
    else:
        lines.append(tr("The first line holds the column names.") if ff.header
                     else tr("The file has no header line."))
    if ff.lines_to_ignore:
        lines.append(tr("Skips the first {n} lines of the file.").format(n=ff.lines_to_ignore))
    if ff.columns:
        ignored = sum(1 for c in ff.columns if c.ignore)
        text = tr("{n} columns described").format(n=len(ff.columns))
        if ignored:
            text += tr(", {n} of them ignored").format(n=ignored)
        lines.append(text + ".")
    else:
        lines.append(tr("Columns and their types are detected from the file."))
    return lines


def _mapping(s: ImportSettings) -> list[str]:
    if not s.mapping:
        if s.guess_mapping:
            return [tr("Destination fields are guessed from the file's column names.")]
        return [tr("No column is mapped yet.")]
    lines = []
    for m in s.mapping:
        line = tr("{source} → {field}").format(source=_source(m.source), field=field_label(m.destination))
        if m.transform is not Transform.NONE:
            line += f" ({tr(TRANSFORMS[m.transform])})"
        lines.append(line)
    if s.calculated_fields:
        lines.append(tr("{n} calculated fields.").format(n=len(s.calculated_fields)))
    return lines


def _reconciliation(s: ImportSettings) -> list[str]:
    r = s.reconciliation
    lines = [tr("Operation: {operation}.").format(operation=tr(OPERATIONS[r.operation]))]
    if r.key1:
        key = tr("Recipients are matched on {key}").format(key=_fields(r.key1))
        if r.key2:
            key += tr(", or on {key} when that is empty").format(key=_fields(r.key2))
        lines.append(key + ".")
    elif r.operation is not Operation.INSERT:
        lines.append(tr("No reconciliation key is chosen yet."))
    lines.append(tr("Lines of the file repeating a key (doubles): {policy}.").format(
        policy=tr(DOUBLES[r.doubles])))
    if r.operation in (Operation.UPSERT, Operation.UPDATE):
        lines.append(tr("Lines matching an existing recipient (duplicates): {policy}.").format(
            policy=tr(DUPLICATES[r.duplicates])))
    for rule in r.field_rules:
        parts = []
        if rule.update_if_source_empty:
            parts.append(tr("updated even if the file's value is empty"))
        if rule.update_only_if_destination_empty:
            parts.append(tr("updated only if empty in the database"))
        if rule.only_on_insert:
            parts.append(tr("written only when the recipient is created"))
        if parts:
            lines.append(f"{field_label(rule.field)}: {', '.join(parts)}.")
    return lines


def _recipients(s: ImportSettings) -> list[str]:
    rs = s.recipients
    folder = {
        FolderMode.NONE: tr("Not imported into a specific folder."),
        FolderMode.DEFAULT: tr("Added to the default recipients folder."),
        FolderMode.EXISTING: tr("Added to the folder “{folder}”.").format(folder=rs.folder),
    }[rs.folder_mode]
    lines = [folder]
    if rs.list_mode is ListMode.NONE:
        lines.append(tr("Not added to a list."))
    else:
        name = rs.list_name or tr("(list to choose before starting)")
        lines.append((tr("Added to the list {name}.") if rs.list_mode is ListMode.ADD
                      else tr("Replace the content of the list {name}.")).format(name=name))
    if rs.service:
        text = tr("Subscribed to the service “{service}”").format(service=rs.service)
        lines.append(text + (tr(", with a confirmation message.") if rs.send_confirmation else "."))
    else:
        lines.append(tr("Not subscribed to a service."))
    if rs.origin:
        lines.append(tr("Origin: {origin}.").format(origin=rs.origin))
    for flag in rs.set_flags:
        lines.append(tr("Sets “{flag}”.").format(flag=field_label(flag)))
    return lines


def _advanced(a: AdvancedParameters, kind: JobKind) -> list[str]:
    lines = []
    if kind is JobKind.IMPORT:
        lines.append(tr("Stops when the first {n} lines are rejected.").format(n=a.max_rejects)
                     if a.stop_on_rejects else tr("Never stops because of rejected lines."))
        if a.trace:
            lines.append(tr("Trace mode: every line is logged in the journal."))
        if a.start_line > 1:
            lines.append(tr("Starts at line {n}.").format(n=a.start_line))
        if a.line_limit:
            lines.append(tr("Imports at most {n} lines.").format(n=a.line_limit))
        if not a.update_enumerations:
            lines.append(tr("Does not add new values to enumerations."))
        lines.append(tr("Writes {n} lines per transaction.").format(n=a.batch_size))
    return lines


def _export(s: ExportSettings) -> list[SummarySection]:
    doc = (tr("Recipients") if s.document_type == "recipients"
           else tr("List “{name}”").format(name=s.document_type.removeprefix("list:")))
    data = [tr("Document type: {doc}.").format(doc=doc)]
    if s.columns:
        data.append(tr("Columns: {columns}.").format(
            columns=", ".join(c.label or field_label(c.expression) for c in s.columns)))
    else:
        data.append(tr("No column is chosen yet."))
    if s.sort:
        data.append(tr("Sorted by {fields}.").format(fields=", ".join(
            field_label(k.expression) + (tr(" (descending)") if k.descending else "") for k in s.sort)))
    data.append(tr("Only the recipients matching a filter.") if s.filter else tr("No filter: every record."))
    if s.distinct:
        data.append(tr("Identical lines are written once."))
    if s.line_limit:
        data.append(tr("At most {n} lines.").format(n=s.line_limit))
    o = s.output
    formats = {OutputFormat.TEXT: tr("Delimited text"), OutputFormat.CSV: tr("CSV"),
               OutputFormat.FIXED: tr("Fixed-width text"), OutputFormat.XLSX: tr("Excel workbook (.xlsx)")}
    out = [tr("Format: {format}.").format(format=formats[o.format])]
    if o.format in (OutputFormat.TEXT, OutputFormat.CSV):
        out.append(tr("Columns separated by {sep}, encoding {encoding}{bom}.").format(
            sep=_separator(o.separator), encoding=o.encoding, bom=tr(" with BOM") if o.bom else ""))
    out.append(tr("First line: column names.") if o.header else tr("No header line."))
    out.append(tr("File name: {name}").format(name=o.file_name))
    return [SummarySection(tr("Data to extract"), data), SummarySection(tr("File to export"), out)]


def summarize(template: JobTemplate) -> list[SummarySection]:
    """What ``template`` does, section by section, in sentences."""
    if template.kind is JobKind.EXPORT:
        assert template.export_settings is not None
        return _export(template.export_settings)
    s = template.import_settings
    assert s is not None
    sections = [
        SummarySection(tr("File format"), _file_format(s.file_format)),
        SummarySection(tr("Field mapping"), _mapping(s)),
        SummarySection(tr("Reconciliation"), _reconciliation(s)),
        SummarySection(tr("Import recipients"), _recipients(s)),
        SummarySection(tr("Advanced parameters"), _advanced(s.advanced, template.kind)),
    ]
    return sections
