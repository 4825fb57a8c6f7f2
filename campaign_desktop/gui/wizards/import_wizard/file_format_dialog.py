"""The File format dialog (spec §4.5): how the file is read, with a preview that follows every change.

It edits a copy of the format; each change re-reads the first lines in a worker after a short
pause (so typing a separator does not start ten reads), and only OK hands the format back.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.template import ColumnFormat, FileFormat, FileType
from campaign_desktop.files.preview import Preview, preview
from campaign_desktop.gui.errors import error_text
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.import_wizard.columns_model import CHOICES, COL_WIDTH, ColumnFormatModel
from campaign_desktop.gui.wizards.import_wizard.combo_delegate import ComboDelegate
from campaign_desktop.gui.wizards.import_wizard.preview_models import PreviewModel
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.mapping.column_check import profile_with_formats

REFRESH_DELAY_MS = 300
ENCODINGS = ("utf-8", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "ascii")
SEPARATORS = (("\t", "Tabulation"), (" ", "Space"), (";", "Semicolon"), (",", "Comma"), ("|", "Pipe"))
DELIMITERS = (('"', "Double quote"), ("'", "Single quote"), ("", "No delimiter"))
TYPES = ((FileType.DELIMITED, "Delimited columns"), (FileType.FIXED, "Fixed-width columns"),
         (FileType.XLSX, "Excel workbook (.xlsx)"))


PREVIEW_LINES = 200


def read_preview(path: str, fmt: FileFormat | None) -> Preview:
    """Worker: the first lines, with each column checked against its chosen format when there is one."""
    result = preview(path, fmt, PREVIEW_LINES)
    if fmt is not None and fmt.columns:
        result.profiles = profile_with_formats(result, fmt.columns)
    return result


def columns_from_preview(p: Preview, previous: list[ColumnFormat]) -> list[ColumnFormat]:
    """One format per previewed column: the previous one of that name, else the detected type."""
    by_name = {c.name: c for c in previous}
    out = []
    for prof in p.profiles:
        old = by_name.get(prof.name)
        out.append(old if old is not None else ColumnFormat(
            name=prof.name, label=prof.name, type=prof.detected_type, date_format=prof.date_format,
            decimal_separator=prof.decimal_separator))
    return out


class FileFormatDialog(QDialog):
    """General options, per-column formats and a live preview of the file read with them."""

    def __init__(self, path: str, fmt: FileFormat, current: Preview | None, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("file_format_dialog")
        self.setWindowTitle(tr("File format"))
        self.path = path
        self.runner = runner
        self._fmt = replace(fmt, columns=list(fmt.columns))
        self._generation = 0
        self._loading = True
        self.last_preview: Preview | None = current
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)

        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("type_combo")
        for value, label in TYPES:
            self.type_combo.addItem(tr(label), value.value)
        self.encoding_combo = QComboBox(self)
        self.encoding_combo.setObjectName("encoding_combo")
        self.encoding_combo.setEditable(True)
        self.encoding_combo.addItems(list(ENCODINGS))
        self.ignore_spin = QSpinBox(self)
        self.ignore_spin.setObjectName("ignore_spin")
        self.ignore_spin.setRange(0, 1_000_000)
        self.header_check = QCheckBox(tr("Use first line as column header"), self)
        self.header_check.setObjectName("header_check")
        self.merge_check = QCheckBox(tr("Consider consecutive delimiters as one"), self)
        self.delimiter_combo = QComboBox(self)
        self.delimiter_combo.setObjectName("delimiter_combo")
        for value, label in DELIMITERS:
            self.delimiter_combo.addItem(tr(label), value)
        self.separator_group = QButtonGroup(self)
        separators = QHBoxLayout()
        self._separator_row = separators
        self._separator_buttons: dict[str, QRadioButton] = {}
        for value, label in SEPARATORS:
            button = QRadioButton(tr(label), self)
            self.separator_group.addButton(button)
            self._separator_buttons[value] = button
            separators.addWidget(button)
        self.other_radio = QRadioButton(tr("Other:"), self)
        self.separator_group.addButton(self.other_radio)
        self.other_edit = QLineEdit(self)
        self.other_edit.setObjectName("other_separator")
        self.other_edit.setMaxLength(1)
        self.other_edit.setMaximumWidth(40)
        separators.addWidget(self.other_radio)
        separators.addWidget(self.other_edit)
        separators.addStretch(1)
        self.sheet_edit = QLineEdit(self)
        self.sheet_edit.setPlaceholderText(tr("first sheet"))
        self.header_row_spin = QSpinBox(self)
        self.header_row_spin.setRange(0, 1_000_000)
        self.header_row_spin.setSpecialValueText(tr("detect"))

        general = QGroupBox(tr("General"), self)
        self.general_form = form = QFormLayout(general)
        form.addRow(tr("File type:"), self.type_combo)
        form.addRow(tr("Encoding:"), self.encoding_combo)
        form.addRow(tr("Lines to ignore:"), self.ignore_spin)
        form.addRow(self.header_check)
        form.addRow(tr("Column separator:"), separators)
        form.addRow(self.merge_check)
        form.addRow(tr("String delimiter:"), self.delimiter_combo)
        form.addRow(tr("Excel sheet:"), self.sheet_edit)
        form.addRow(tr("Excel header row:"), self.header_row_spin)

        self.columns_model = ColumnFormatModel(self)
        self.columns_view = QTableView(self)
        self.columns_view.setObjectName("columns_view")
        self.columns_view.setModel(self.columns_model)
        self.columns_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        for col, choices in CHOICES.items():
            self.columns_view.setItemDelegateForColumn(col, ComboDelegate(choices, self.columns_view))
        self.columns_view.horizontalHeader().setStretchLastSection(True)
        self.columns_view.verticalHeader().setDefaultSectionSize(24)
        self.columns_view.verticalHeader().hide()
        self.preview_model = PreviewModel(self)
        self.preview_view = QTableView(self)
        self.preview_view.setObjectName("dialog_preview_view")
        self.preview_view.setModel(self.preview_model)
        self.preview_view.verticalHeader().setDefaultSectionSize(22)
        self.preview_view.horizontalHeader().setStretchLastSection(True)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.columns_view)
        splitter.addWidget(self.preview_view)
        layout = QVBoxLayout(self)
        layout.addWidget(general)
        layout.addWidget(QLabel(f"<b>{tr('Columns')}</b>", self))
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.resize(900, 720)

        self._show_format()
        if current is not None:
            self.columns_model.set_columns(self._fmt.columns or columns_from_preview(current, []))
            self.preview_model.set_preview(current.columns, current.rows)
        self._show_rows_for_type()
        self._fit_columns()
        self.type_combo.currentIndexChanged.connect(self._show_rows_for_type)
        self._loading = False
        for signal in (self.type_combo.currentIndexChanged, self.encoding_combo.currentTextChanged,
                       self.ignore_spin.valueChanged, self.header_check.toggled, self.merge_check.toggled,
                       self.delimiter_combo.currentIndexChanged, self.separator_group.buttonToggled,
                       self.other_edit.textEdited, self.sheet_edit.editingFinished, self.header_row_spin.valueChanged,
                       self.columns_model.changed):
            signal.connect(self._schedule)

    def _show_rows_for_type(self) -> None:
        """Only the options that apply to the chosen file type are shown."""
        file_type = FileType(self.type_combo.currentData())
        text = file_type is not FileType.XLSX
        for widget, visible in ((self.encoding_combo, text), (self.ignore_spin, text),
                                (self.merge_check, file_type is FileType.DELIMITED),
                                (self.delimiter_combo, file_type is FileType.DELIMITED),
                                (self._separator_row, file_type is FileType.DELIMITED),
                                (self.header_check, text), (self.sheet_edit, not text),
                                (self.header_row_spin, not text)):
            self.general_form.setRowVisible(widget, visible)
        self.columns_view.setColumnHidden(COL_WIDTH, file_type is not FileType.FIXED)

    def _fit_columns(self) -> None:
        self.columns_view.resizeColumnsToContents()
        self.preview_view.resizeColumnsToContents()
        for view in (self.columns_view, self.preview_view):
            for col in range(view.model().columnCount()):
                view.setColumnWidth(col, min(view.columnWidth(col), 220))

    def _show_format(self) -> None:
        f = self._fmt
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData((f.file_type or FileType.DELIMITED).value)))
        self.encoding_combo.setCurrentText(f.encoding)
        self.ignore_spin.setValue(f.lines_to_ignore)
        self.header_check.setChecked(bool(f.header))
        self.merge_check.setChecked(f.merge_consecutive_separators)
        self.delimiter_combo.setCurrentIndex(max(0, self.delimiter_combo.findData(f.string_delimiter)))
        button = self._separator_buttons.get(f.separator)
        if button is not None:
            button.setChecked(True)
        else:
            self.other_radio.setChecked(True)
            self.other_edit.setText("" if f.separator == "auto" else f.separator)
        self.sheet_edit.setText(f.sheet)
        self.header_row_spin.setValue(f.header_row if f.file_type is FileType.XLSX else 0)

    def file_format(self) -> FileFormat:
        """The format as the dialog shows it."""
        checked = self.separator_group.checkedButton()
        separator = next((v for v, b in self._separator_buttons.items() if b is checked), None)
        if separator is None:
            separator = self.other_edit.text() or "auto"
        file_type = FileType(self.type_combo.currentData())
        return replace(
            self._fmt, file_type=file_type, encoding=self.encoding_combo.currentText().strip() or "auto",
            lines_to_ignore=self.ignore_spin.value(), header=self.header_check.isChecked(), separator=separator,
            string_delimiter=self.delimiter_combo.currentData(),
            merge_consecutive_separators=self.merge_check.isChecked(), sheet=self.sheet_edit.text().strip(),
            header_row=self.header_row_spin.value() if file_type is FileType.XLSX else 0,
            columns=self.columns_model.columns())

    def _schedule(self, *_args: object) -> None:
        if not self._loading:
            self._timer.start()

    def refresh_preview(self) -> None:
        """Read the first lines again with the format shown (in a worker; only the last answer counts)."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        fmt, path = self.file_format(), self.path
        self.status_label.setStyleSheet("")
        self.status_label.setText(tr("Reading…"))

        def done(result: Preview) -> None:
            if generation != self._generation:
                return
            self.last_preview = result
            self.preview_model.set_preview(result.columns, result.rows)
            self._fit_columns()
            names = [c.name for c in self.columns_model.columns()]
            if names != [p.name for p in result.profiles]:
                self.columns_model.set_columns(columns_from_preview(result, self.columns_model.columns()))
            bad = sum(1 for r in result.rows if r.error)
            text = tr("{n} lines read, {bad} with a problem.").format(n=len(result.rows), bad=bad)
            invalid = [p for p in result.profiles if p.invalid]
            if invalid:
                text += " " + tr("Values that do not match the chosen format: {list}").format(list="; ".join(
                    f"{p.name}: {p.invalid} ({', '.join(p.invalid_examples[:3])})" for p in invalid))
            self.status_label.setStyleSheet("color: #b00020;" if invalid else "")
            self.status_label.setText(text)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self.status_label.setStyleSheet("color: #b00020;")
                self.status_label.setText(error_text(exc))
                self.preview_model.set_preview([], [])
                self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

        self.runner.run(lambda: read_preview(path, fmt), on_done=done, on_error=failed, owner=self)
