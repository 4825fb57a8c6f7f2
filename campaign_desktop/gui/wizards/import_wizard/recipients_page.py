"""Screen 5, "Import recipients" (spec §4.9): folder, list, service subscription and origin."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.template import FolderMode, ListMode
from campaign_desktop.domain.validation import recipients_problems
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.import_wizard.page_base import ImportPage

FOLDER_MODES = ((FolderMode.NONE, "Do not import into a specific folder"),
                (FolderMode.DEFAULT, "Add in the default recipients folder"),
                (FolderMode.EXISTING, "Add to this folder (created if needed):"))
LIST_MODES = ((ListMode.NONE, "Do not include in a list"), (ListMode.ADD, "Add to this list (created if needed):"),
              (ListMode.RECREATE, "Recreate the list (loses its previous content):"))
ORIGINS = ("", "Website", "Event", "Purchase", "Partner", "Denylist import")


class RecipientsPage(ImportPage):
    """Where the imported recipients go besides the recipient table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Import recipients"), tr("Choose the folder, list, service and origin of the "
                                                      "recipients being imported."), parent)
        self._completers_loaded = False
        self.folder_group, folder_box = self._radios(tr("Import into a folder"), FOLDER_MODES, "folder")
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setObjectName("folder_edit")
        self.folder_edit.setPlaceholderText(tr("Folder name"))
        self.folder_edit.textEdited.connect(self._on_edit)
        folder_box.layout().addWidget(self.folder_edit)
        self.list_group, list_box = self._radios(tr("Add recipients to a list"), LIST_MODES, "list")
        self.list_edit = QLineEdit(self)
        self.list_edit.setObjectName("list_edit")
        self.list_edit.setPlaceholderText(tr("List name"))
        self.list_edit.textEdited.connect(self._on_edit)
        list_box.layout().addWidget(self.list_edit)
        service_box = QGroupBox(tr("Subscribe recipients to a service"), self)
        self.service_edit = QLineEdit(service_box)
        self.service_edit.setObjectName("service_edit")
        self.service_edit.setPlaceholderText(tr("Service name (empty: do not subscribe)"))
        self.service_edit.textEdited.connect(self._on_edit)
        self.confirm_check = QCheckBox(tr("Send a confirmation message"), service_box)
        self.confirm_check.toggled.connect(self._on_edit)
        service_layout = QVBoxLayout(service_box)
        service_layout.addWidget(self.service_edit)
        service_layout.addWidget(self.confirm_check)
        self.origin_combo = QComboBox(self)
        self.origin_combo.setObjectName("origin_combo")
        self.origin_combo.setEditable(True)
        self.origin_combo.addItems(list(ORIGINS))
        self.origin_combo.currentTextChanged.connect(self._on_edit)
        origin = QFormLayout()
        origin.addRow(tr("Origin of the recipients:"), self.origin_combo)
        for box in (folder_box, list_box, service_box):
            self.layout_.addWidget(box)
        self.layout_.addLayout(origin)
        self.layout_.addStretch(1)
        self.finish_layout()

    def _radios(self, title: str, modes: tuple[tuple[object, str], ...], name: str) -> tuple[QButtonGroup, QGroupBox]:
        box = QGroupBox(title, self)
        layout = QVBoxLayout(box)
        group = QButtonGroup(box)
        for i, (_mode, label) in enumerate(modes):
            button = QRadioButton(tr(label), box)
            button.setObjectName(f"{name}_mode_{i}")
            group.addButton(button, i)
            layout.addWidget(button)
        group.idToggled.connect(self._on_mode_toggled)
        return group, box

    def _on_mode_toggled(self, _id: int, on: bool) -> None:
        if on:
            self._on_edit()

    def _offer_existing(self) -> None:
        """Complete the list and service names with those in the database (read in the background)."""
        if self._completers_loaded:
            return
        self._completers_loaded = True
        w = self.import_wizard

        def read() -> tuple[list[str], list[str]]:
            browse = w.service.browse()
            return [x.list_label for x in browse.lists()], [x.service_label for x in browse.services()]

        def show(names: tuple[list[str], list[str]]) -> None:
            for edit, values in ((self.list_edit, names[0]), (self.service_edit, names[1])):
                completer = QCompleter(values, edit)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                edit.setCompleter(completer)

        w.runner.run(read, on_done=show, owner=self)

    def load(self) -> None:
        self._offer_existing()
        r = self.settings.recipients
        self.folder_group.button([m for m, _ in FOLDER_MODES].index(r.folder_mode)).setChecked(True)
        self.folder_edit.setText(r.folder)
        self.list_group.button([m for m, _ in LIST_MODES].index(r.list_mode)).setChecked(True)
        self.list_edit.setText(r.list_name)
        self.service_edit.setText(r.service)
        self.confirm_check.setChecked(r.send_confirmation)
        self.origin_combo.setCurrentText(r.origin)
        self._enable()

    def _enable(self) -> None:
        self.folder_edit.setEnabled(self.folder_group.checkedId() == 2)
        self.list_edit.setEnabled(self.list_group.checkedId() > 0)
        self.confirm_check.setEnabled(bool(self.service_edit.text().strip()))

    def _on_edit(self, *_args: object) -> None:
        if self._loading:
            return
        r = self.settings.recipients
        r.folder_mode = FOLDER_MODES[max(self.folder_group.checkedId(), 0)][0]
        r.folder = self.folder_edit.text()
        r.list_mode = LIST_MODES[max(self.list_group.checkedId(), 0)][0]
        r.list_name = self.list_edit.text()
        r.service = self.service_edit.text().strip()
        r.send_confirmation = self.confirm_check.isChecked() and bool(r.service)
        r.origin = self.origin_combo.currentText()
        self._enable()
        self.edited()

    def select_folder_mode(self, mode: FolderMode) -> None:
        self.folder_group.button([m for m, _ in FOLDER_MODES].index(mode)).setChecked(True)

    def select_list_mode(self, mode: ListMode) -> None:
        self.list_group.button([m for m, _ in LIST_MODES].index(mode)).setChecked(True)

    def problems(self) -> list[str]:
        return recipients_problems(self.settings)
