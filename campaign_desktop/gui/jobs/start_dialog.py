"""*Start an import…*: pick a file and an import template, then the job starts.

The simple entry point the jobs list, the home page's Jobs cards and its Supervision links
call. The full import wizard replaces it by setting :attr:`JobsWorkspace.import_entry`; the
dialog stays as the quick way in. It only collects choices: the workspace creates and
starts the job, off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.template import JobKind, JobTemplate
from campaign_desktop.gui.i18n import tr


@dataclass(frozen=True)
class StartChoice:
    """What the user chose: the file (to read or to write), the template, an optional job label."""

    path: str
    template_id: int
    label: str = ""


class StartJobDialog(QDialog):
    """A file, a template of ``kind`` (``template_id``, else the blank built-in) and a label.

    *Start* is enabled once the choice can run.
    """

    def __init__(self, kind: JobKind, templates: list[JobTemplate], parent: QWidget | None = None,
                 path: str = "", template_id: int | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        importing = kind is JobKind.IMPORT
        self.setObjectName("start_import_dialog" if importing else "start_export_dialog")
        self.setWindowTitle(tr("Start an import") if importing else tr("Start an export"))
        self.path = QLineEdit(path, self)
        self.path.setObjectName("start_path")
        self.path.setPlaceholderText(tr("The file to import") if importing else tr("The file to write"))
        self.path.setMinimumWidth(360)
        browse = QPushButton(tr("Browse…"), self)
        browse.setObjectName("start_browse")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.template = QComboBox(self)
        self.template.setObjectName("start_template")
        blank = "newImport" if importing else "newExport"
        for tpl in templates:
            if tpl.kind is kind and tpl.id is not None:
                self.template.addItem(tpl.label, tpl.id)
                if tpl.id == template_id or (template_id is None and tpl.internal_name == blank):
                    self.template.setCurrentIndex(self.template.count() - 1)
        self.label = QLineEdit(self)
        self.label.setObjectName("start_label")
        self.label.setPlaceholderText(tr("Optional: by default the template's label and the file name"))
        self.problem = QLabel(self)
        self.problem.setObjectName("start_problem")
        self.problem.setStyleSheet("color: #c0392b;")
        self.problem.setWordWrap(True)

        form = QFormLayout()
        form.addRow(tr("File:"), path_row)
        form.addRow(tr("Template:"), self.template)
        form.addRow(tr("Label:"), self.label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.start_button = self.buttons.addButton(tr("Start"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("start_button")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.path.textChanged.connect(self._check)
        self.template.currentIndexChanged.connect(self._check)
        self._check()

    def problem_text(self) -> str:
        """Why the choice cannot start yet ("" when it can)."""
        text = self.path.text().strip()
        if self.template.count() == 0:
            return tr("There is no template of this kind yet: create one under Job templates.")
        if not text:
            return tr("Choose the file to import.") if self.kind is JobKind.IMPORT else tr("Choose the file to write.")
        path = Path(text).expanduser()
        if self.kind is JobKind.IMPORT:
            if not path.is_file():
                return tr("There is no file “{path}”.").format(path=text)
        elif not path.parent.is_dir():
            return tr("There is no folder “{path}”.").format(path=str(path.parent))
        return ""

    def _check(self, *args: object) -> None:
        problem = self.problem_text()
        # Say nothing about an empty path: the user has not typed anything wrong yet.
        self.problem.setText(problem if self.path.text().strip() else "")
        self.start_button.setEnabled(not problem)

    def choice(self) -> StartChoice:
        return StartChoice(str(Path(self.path.text().strip()).expanduser()), int(self.template.currentData()),
                           self.label.text().strip())

    def _browse(self) -> None:
        dialog = QFileDialog(self, tr("File to import") if self.kind is JobKind.IMPORT else tr("File to write"))
        dialog.setObjectName("start_file_dialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        if self.kind is JobKind.IMPORT:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            dialog.setNameFilters([tr("Data files (*.csv *.txt *.tsv *.dat *.xlsx)"), tr("All files (*)")])
        else:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()
