"""Screens 1-3 of the export wizard (spec §5.1-5.3): template, file to export, destination format."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from campaign_desktop.domain.template import OutputFormat
from campaign_desktop.export.query import LIST_PREFIX
from campaign_desktop.export.writers import output_problems
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.export.page_base import ExportPage

FORMATS = ((OutputFormat.CSV, "CSV"), (OutputFormat.TEXT, "Text"), (OutputFormat.FIXED, "Fixed-column text"),
           (OutputFormat.XLSX, "Excel workbook (.xlsx)"))
SEPARATORS = (("\t", "Tabulation"), (",", "Comma"), (";", "Semicolon"), ("|", "Pipe"))
DELIMITERS = (("", "No delimiter"), ("'", "Single quote"), ('"', "Double quote"))
LINE_ENDS = (("\n", "Line feed (LF)"), ("\r\n", "Carriage return + line feed (CR LF)"), ("\r", "Carriage return"))
ENCODINGS = (("utf-8", "Unicode (UTF-8)"), ("cp1252", "Western European (Windows 1252)"), ("latin-1", "Latin 1"),
             ("utf-16", "Unicode (UTF-16)"))


def _combo(parent: QWidget, name: str, choices: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for value, label in choices:
        combo.addItem(tr(label), value)
    return combo


def _select(combo: QComboBox, value: str) -> None:
    i = combo.findData(value)
    if i < 0:
        combo.addItem(value, value)
        i = combo.count() - 1
    combo.setCurrentIndex(i)


class TemplatePage(ExportPage):
    """Screen 1: label and description of the export (the template it starts from is chosen by the caller)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Template selection"), tr("Name this export; it is tracked like an import."), parent)
        self.label_edit = QLineEdit(self)
        self.label_edit.setObjectName("label_edit")
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("description_edit")
        self.description_edit.setMaximumHeight(80)
        form = QFormLayout()
        form.addRow(tr("Label:"), self.label_edit)
        form.addRow(tr("Description:"), self.description_edit)
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)
        self.finish_layout()
        self.label_edit.textChanged.connect(self._label)
        self.description_edit.textChanged.connect(self._description)

    def load(self) -> None:
        self.label_edit.setText(self.draft.label)
        self.description_edit.setPlainText(self.draft.description)

    def _label(self, text: str) -> None:
        if not self._loading:
            self.draft.label = text
            self.edited()

    def _description(self) -> None:
        if not self._loading:
            self.draft.description = self.description_edit.toPlainText()
            self.edited()

    def problems(self) -> list[str]:
        return [] if self.draft.label.strip() else [tr("Give the export a label.")]


class FilePage(ExportPage):
    """Screen 2: document type (recipients or a list's members), destination file, lines, differential."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("File to export"), tr("Enter the document type to export and the destination file."),
                         parent)
        self.document_combo = QComboBox(self)
        self.document_combo.setObjectName("document_combo")
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("path_edit")
        self.path_edit.setPlaceholderText(tr("e.g. /home/me/exports/recipients-{date}.csv"))
        browse = QPushButton(tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.limit_spin = QSpinBox(self)
        self.limit_spin.setObjectName("limit_spin")
        self.limit_spin.setRange(0, 2_000_000_000)
        self.limit_spin.setSpecialValueText(tr("All"))
        self.differential_check = QCheckBox(tr("Differential export: only recipients modified since this "
                                               "template's last successful export"), self)
        self.differential_check.setObjectName("differential_check")
        form = QFormLayout()
        form.addRow(tr("Document type:"), self.document_combo)
        form.addRow(tr("Local file:"), row)
        form.addRow(tr("Number of lines to export:"), self.limit_spin)
        form.addRow("", self.differential_check)
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)
        self.finish_layout()
        self.document_combo.currentIndexChanged.connect(self._document)
        self.path_edit.textChanged.connect(self._path)
        self.limit_spin.valueChanged.connect(self._limit)
        self.differential_check.toggled.connect(self._differential)

    def load(self) -> None:
        self.document_combo.clear()
        self.document_combo.addItem(tr("Recipients (nms:recipient)"), "recipients")
        for name in self.export_wizard.list_names:
            self.document_combo.addItem(tr("Members of the list '{name}'").format(name=name), LIST_PREFIX + name)
        _select(self.document_combo, self.settings.document_type)
        self.path_edit.setText(self.export_wizard.out_path)
        self.limit_spin.setValue(self.settings.line_limit)
        self.differential_check.setChecked(self.settings.differential)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export to"), self.path_edit.text())
        if path:
            self.path_edit.setText(path)

    def _document(self) -> None:
        if not self._loading and self.document_combo.currentData():
            self.settings.document_type = self.document_combo.currentData()
            self.edited()

    def _path(self, text: str) -> None:
        if not self._loading:
            self.export_wizard.out_path = text.strip()
            if text.lower().endswith(".xlsx"):
                self.settings.output.format = OutputFormat.XLSX
            self.edited()

    def _limit(self, value: int) -> None:
        if not self._loading:
            self.settings.line_limit = value
            self.edited()

    def _differential(self, on: bool) -> None:
        if not self._loading:
            self.settings.differential = on
            self.edited()

    def problems(self) -> list[str]:
        return [] if self.export_wizard.out_path else [tr("Choose the file to export to.")]


class FormatPage(ExportPage):
    """Screen 3: output format, header, separator, delimiter, end of line, encoding, labels, escaping."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Destination format"), tr("Choose how the file is written."), parent)
        self.format_combo = _combo(self, "format_combo", FORMATS)
        self.header_check = QCheckBox(tr("Use first line as column header"), self)
        self.header_check.setObjectName("header_check")
        self.separator_combo = _combo(self, "separator_combo", SEPARATORS)
        self.delimiter_combo = _combo(self, "delimiter_combo", DELIMITERS)
        self.line_end_combo = _combo(self, "line_end_combo", LINE_ENDS)
        self.encoding_combo = _combo(self, "encoding_combo", ENCODINGS)
        self.bom_check = QCheckBox(tr("Write a byte order mark (BOM)"), self)
        self.bom_check.setObjectName("bom_check")
        self.labels_check = QCheckBox(tr("Export labels instead of internal values of enumerations"), self)
        self.labels_check.setObjectName("labels_check")
        self.escape_check = QCheckBox(tr("Protect spreadsheet users: prefix values that start like a formula "
                                         "(= + - @) with an apostrophe"), self)
        self.escape_check.setObjectName("escape_check")
        form = QFormLayout()
        form.addRow(tr("Output format:"), self.format_combo)
        form.addRow("", self.header_check)
        form.addRow(tr("Column separator:"), self.separator_combo)
        form.addRow(tr("String delimiter:"), self.delimiter_combo)
        form.addRow(tr("End of line:"), self.line_end_combo)
        form.addRow(tr("Encoding:"), self.encoding_combo)
        form.addRow("", self.bom_check)
        form.addRow("", self.labels_check)
        form.addRow("", self.escape_check)
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)
        self.finish_layout()
        for combo in (self.format_combo, self.separator_combo, self.delimiter_combo, self.line_end_combo,
                      self.encoding_combo):
            combo.currentIndexChanged.connect(self._store)
        for check in (self.header_check, self.bom_check, self.escape_check, self.labels_check):
            check.toggled.connect(self._store)

    def load(self) -> None:
        o = self.settings.output
        _select(self.format_combo, o.format.value)
        self.header_check.setChecked(o.header)
        _select(self.separator_combo, o.separator)
        _select(self.delimiter_combo, o.string_delimiter)
        _select(self.line_end_combo, o.line_end)
        _select(self.encoding_combo, o.encoding)
        self.bom_check.setChecked(o.bom)
        self.escape_check.setChecked(o.escape_formulas)
        self.labels_check.setChecked(self.export_wizard.enum_labels)
        self._enable()

    def _enable(self) -> None:
        text = self.settings.output.format in (OutputFormat.CSV, OutputFormat.TEXT)
        for w in (self.separator_combo, self.delimiter_combo):
            w.setEnabled(text)
        binary = self.settings.output.format is OutputFormat.XLSX
        for w in (self.line_end_combo, self.encoding_combo, self.bom_check):
            w.setEnabled(not binary)

    def _store(self) -> None:
        if self._loading:
            return
        o = self.settings.output
        o.format = OutputFormat(self.format_combo.currentData())
        o.header = self.header_check.isChecked()
        o.separator = self.separator_combo.currentData()
        o.string_delimiter = self.delimiter_combo.currentData()
        o.line_end = self.line_end_combo.currentData()
        o.encoding = self.encoding_combo.currentData()
        o.bom = self.bom_check.isChecked()
        o.escape_formulas = self.escape_check.isChecked()
        self.export_wizard.enum_labels = self.labels_check.isChecked()
        for column in self.settings.columns:  # "Female" rather than 2, for every column
            column.enum_labels = self.export_wizard.enum_labels
        self._enable()
        self.edited()

    def problems(self) -> list[str]:
        return output_problems(self.settings.output)
