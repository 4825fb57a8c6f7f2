"""Screen 2, "File to import" (spec §4.4): choose or drop a file, see its first 200 lines and its columns.

The preview is computed by a worker (:func:`campaign_desktop.files.preview.preview` reads at
most the first MB and 200 records), so even a multi-GB file shows its first lines at once and
the window never freezes. A newer request makes older answers stale: only the last one shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from campaign_desktop.domain.template import FileFormat, FileType
from campaign_desktop.domain.validation import file_format_problems, source_problems
from campaign_desktop.files.preview import Preview
from campaign_desktop.gui.errors import error_text
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.import_wizard.file_format_dialog import FileFormatDialog, read_preview
from campaign_desktop.gui.wizards.import_wizard.page_base import ImportPage
from campaign_desktop.gui.wizards.import_wizard.preview_models import PreviewModel, ProfileModel

RESIZE_PRECISION = 40
"""Rows measured to size the columns: measuring all 200 took most of the time to show a preview."""
FILE_FILTER = "Files to import (*.csv *.txt *.tab *.tsv *.dat *.xlsx *.xlsm);;All files (*)"

_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", " ": "space"}


def describe_format(fmt: FileFormat, estimate: int | None) -> str:
    """'Delimited text, cp1252, semicolon-separated, header on line 1, about 12,000 lines'."""
    if fmt.file_type is FileType.XLSX:
        parts = [tr("Excel workbook, sheet '{sheet}'").format(sheet=fmt.sheet or "1")]
    elif fmt.file_type is FileType.FIXED:
        parts = [tr("Fixed-width text, {encoding}").format(encoding=fmt.encoding)]
    else:
        sep = _SEPARATOR_NAMES.get(fmt.separator, f"'{fmt.separator}'")
        parts = [tr("Delimited text, {encoding}, {sep}-separated").format(encoding=fmt.encoding, sep=tr(sep))]
    if fmt.header:
        parts.append(tr("header on line {n}").format(n=fmt.header_row or fmt.lines_to_ignore + 1))
    else:
        parts.append(tr("no header line"))
    if estimate is not None:
        parts.append(tr("about {n:,} lines").format(n=estimate))
    return ", ".join(parts)


class FilePage(ImportPage):
    """The file, the format it is read with, and what its first lines and columns look like."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("File to import"), tr("Please select the source file (text, CSV, fixed width or "
                                                   "Excel .xlsx); you can also drop it on this window."), parent)
        self._generation = 0
        self._chosen_once = False
        self._requested_for = ""  # the path of the last preview asked
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("path_edit")
        self.path_edit.setPlaceholderText(tr("Local file (mandatory)"))
        self.path_edit.editingFinished.connect(self._on_path_typed)
        self.browse_button = QPushButton(tr("Browse…"), self)
        self.browse_button.setObjectName("browse_button")
        self.browse_button.clicked.connect(self.browse)
        self.detect_button = QPushButton(tr("Auto-detect format"), self)
        self.detect_button.setObjectName("detect_button")
        self.detect_button.clicked.connect(self.auto_detect)
        self.format_button = QPushButton(tr("File format…"), self)
        self.format_button.setObjectName("format_button")
        self.format_button.clicked.connect(self.open_format_dialog)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)
        self.preview_model = PreviewModel(self)
        self.preview_view = self._table("preview_view", self.preview_model)
        self.profile_model = ProfileModel(self)
        self.profile_view = self._table("profile_view", self.profile_model)
        self.profile_view.verticalHeader().hide()

        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Local file:"), self))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.detect_button)
        buttons.addWidget(self.format_button)
        buttons.addWidget(self.status_label, 1)
        self.layout_.addLayout(row)
        self.layout_.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._titled(tr("Preview of the first lines of the file"), self.preview_view))
        splitter.addWidget(self._titled(tr("Columns: what their values look like"), self.profile_view))
        splitter.setSizes([300, 160])
        self.layout_.addWidget(splitter, 1)
        self.finish_layout()

    def _table(self, name: str, model: PreviewModel | ProfileModel) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().setDefaultSectionSize(22)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setResizeContentsPrecision(RESIZE_PRECISION)
        return view

    def _titled(self, title: str, widget: QWidget) -> QWidget:
        from PySide6.QtWidgets import QVBoxLayout

        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        caption = QLabel(f"<b>{title}</b>", box)
        layout.addWidget(caption)
        layout.addWidget(widget, 1)
        return box

    # --- showing the draft -------------------------------------------------------------------------

    def load(self) -> None:
        path = self.settings.source_path
        self.path_edit.setText(path)
        w = self.import_wizard
        if path and (w.preview is None and not w.preview_error) and self._requested_for != path:
            self.request_preview(self.settings.file_format, adopt=False)
        self._show_preview()

    # --- choosing the file ---------------------------------------------------------------------

    def browse(self) -> None:
        start = str(Path(self.settings.source_path).parent) if self.settings.source_path else ""
        path, _ = QFileDialog.getOpenFileName(self, tr("File to import"), start, tr(FILE_FILTER))
        if path:
            self.choose_file(path)

    def _on_path_typed(self) -> None:
        text = self.path_edit.text().strip()
        if self.attached() and text and text != self.settings.source_path:
            self.choose_file(text)

    def choose_file(self, path: str) -> None:
        """Use ``path``: its format is detected, unless the template sets one (first file only)."""
        detect = self._chosen_once or self.settings.file_format == FileFormat()
        self._chosen_once = True
        path = str(Path(path).expanduser().resolve())
        self.settings.source_path = path
        self.path_edit.setText(path)
        self.request_preview(None if detect else self.settings.file_format, adopt=True)
        self.edited()

    def auto_detect(self) -> None:
        """Detect everything again, dropping manual format changes (as Campaign's link does)."""
        if self.settings.source_path:
            self.request_preview(None, adopt=True)

    # --- the preview -------------------------------------------------------------------------------

    def request_preview(self, fmt: FileFormat | None, *, adopt: bool) -> None:
        """Read the first lines in a worker; ``adopt``: the resolved format becomes the draft's."""
        path = self.settings.source_path
        self._generation += 1
        generation = self._generation
        self._requested_for = path
        self.import_wizard.set_preview(None)
        self.status_label.setStyleSheet("")
        self.status_label.setText(tr("Reading the first lines of {name}…").format(name=Path(path).name))
        self.refresh_problems()

        def done(result: Preview) -> None:
            if generation != self._generation:
                return
            if adopt:
                self.settings.file_format = result.file_format
                self.import_wizard.draft_edited()
            self.import_wizard.set_preview(result)
            self._show_preview()

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self.import_wizard.set_preview(None, error_text(exc))
                self._show_preview()

        self.import_wizard.runner.run(lambda: read_preview(path, fmt), on_done=done, on_error=failed, owner=self)

    @property
    def loading(self) -> bool:
        w = self.import_wizard
        return bool(self._requested_for) and w.preview is None and not w.preview_error

    def _show_preview(self) -> None:
        w = self.import_wizard
        p = w.preview
        if p is not None:
            self.preview_model.set_preview(p.columns, p.rows)
            self.profile_model.set_profiles(p.profiles)
            self.preview_view.resizeColumnsToContents()
            self.profile_view.resizeColumnsToContents()
            self.status_label.setStyleSheet("")
            text = describe_format(p.file_format, p.line_count_estimate)
            bad = sum(1 for r in p.rows if r.error)
            if bad:
                text += tr(" — {n} of the first lines cannot be imported as they are (tinted; hover for why)"
                           ).format(n=bad)
            self.status_label.setText(text)
        elif w.preview_error:
            self.preview_model.set_preview([], [])
            self.profile_model.set_profiles([])
            self.status_label.setText("")  # the reason is under the page, with the other problems
        self.refresh_problems()

    def open_format_dialog(self) -> FileFormatDialog | None:
        w = self.import_wizard
        if not self.settings.source_path:
            return None
        base = w.preview.file_format if w.preview is not None else self.settings.file_format
        dialog = FileFormatDialog(self.settings.source_path, base, w.preview, w.runner, self)
        dialog.accepted.connect(lambda: self._apply_format(dialog))
        dialog.open()
        return dialog

    def _apply_format(self, dialog: FileFormatDialog) -> None:
        self.settings.file_format = dialog.file_format()
        self.edited()
        self.request_preview(self.settings.file_format, adopt=False)

    def problems(self) -> list[str]:
        out = source_problems(self.settings) + file_format_problems(self.settings)
        if self.import_wizard.preview_error:
            out.append(self.import_wizard.preview_error)
        return out

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        """Valid, and the preview has arrived (the columns are known to the next page)."""
        return super().isComplete() and self.import_wizard.preview is not None
