"""Screen 4, "Reconciliation" (spec §4.7): what a line does to the database, said in one sentence."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QHeaderView, QLabel, QTableView, QWidget

from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME
from campaign_desktop.domain.template import DoublesPolicy, FolderMode, ImportSettings, Operation
from campaign_desktop.domain.validation import key_mapping_problems, reconciliation_problems
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.import_wizard.page_base import ImportPage
from campaign_desktop.gui.wizards.import_wizard.reconciliation_model import ReconciliationModel

OPERATIONS = ((Operation.UPSERT, "Update or insert"), (Operation.INSERT, "Insert"), (Operation.UPDATE, "Update"),
              (Operation.RECONCILE_ONLY, "Reconciliation only"), (Operation.DELETE, "Delete"))
DOUBLES = ((DoublesPolicy.UPDATE, "Update (the last line wins)"), (DoublesPolicy.REJECT, "Reject entity"),
           (DoublesPolicy.IGNORE, "Ignore"))
DUPLICATES = ((DoublesPolicy.UPDATE, "Update"), (DoublesPolicy.REJECT, "Reject"), (DoublesPolicy.IGNORE, "Ignore"))


def _key_words(fields: list[str]) -> str:
    labels = [FIELDS_BY_NAME[f].label.lower() if f in FIELDS_BY_NAME else f for f in fields]
    return tr(" and ").join(labels) if labels else tr("(no key)")


def describe_reconciliation(s: ImportSettings) -> str:
    """'Lines whose email matches a recipient will update it; others will create one.'"""
    r = s.reconciliation
    key = _key_words(r.key1)
    scope = tr(" in the import folder") if s.recipients.folder_mode is not FolderMode.NONE else ""
    sentences = {
        Operation.UPSERT: tr("Lines whose {key} matches a recipient{scope} will update it; others will create one."),
        Operation.INSERT: tr("Every line will create a new recipient."),
        Operation.UPDATE: tr("Lines whose {key} matches a recipient{scope} will update it; others will be ignored."),
        Operation.RECONCILE_ONLY: tr("Lines whose {key} matches a recipient{scope} will be attached to the list or "
                                     "service without changing it; others will be ignored."),
        Operation.DELETE: tr("Recipients{scope} whose {key} matches a line will be DELETED."),
    }
    text = sentences[r.operation].format(key=key, scope=scope)
    if r.key2 and r.operation is not Operation.INSERT:
        text += " " + tr("Lines without a {key} are matched on their {key2}.").format(key=key,
                                                                                   key2=_key_words(r.key2))
    if r.operation is Operation.INSERT and r.doubles is DoublesPolicy.UPDATE:
        return text
    if r.doubles is DoublesPolicy.REJECT:
        text += " " + tr("Lines sharing a {key} in the file are rejected.").format(key=key)
    elif r.doubles is DoublesPolicy.IGNORE:
        text += " " + tr("Lines sharing a {key} in the file are skipped.").format(key=key)
    if r.operation in (Operation.UPSERT, Operation.UPDATE) and r.duplicates is not DoublesPolicy.UPDATE:
        text += " " + (tr("Lines matching an existing recipient are rejected.") if r.duplicates is DoublesPolicy.REJECT
                       else tr("Lines matching an existing recipient are skipped."))
    return text


class ReconciliationPage(ImportPage):
    """Operation, keys, doubles and duplicates, per-field update options and the plain-language summary."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Reconciliation"), tr("Choose the field(s) used as reconciliation keys to update the "
                                                   "database."), parent)
        self.operation_combo = self._combo("operation_combo", OPERATIONS)
        self.doubles_combo = self._combo("doubles_combo", DOUBLES)
        self.duplicates_combo = self._combo("duplicates_combo", DUPLICATES)
        self.model = ReconciliationModel(self)
        self.model.changed.connect(self._on_changed)
        self.view = QTableView(self)
        self.view.setObjectName("reconciliation_view")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.sentence = QLabel(self)
        self.sentence.setObjectName("sentence_label")
        self.sentence.setWordWrap(True)
        self.sentence.setStyleSheet("background: #eef4fb; border: 1px solid #c9dcf0; padding: 8px;")
        form = QFormLayout()
        form.addRow(tr("Operation:"), self.operation_combo)
        form.addRow(tr("Management of doubles (same key in the file):"), self.doubles_combo)
        form.addRow(tr("Management of duplicates (already in the database):"), self.duplicates_combo)
        self.layout_.addLayout(form)
        self.layout_.addWidget(QLabel(tr("<b>Keys and update options per field</b> — key #2 is used for lines "
                                         "whose key #1 is empty."), self))
        self.layout_.addWidget(self.view, 1)
        self.layout_.addWidget(self.sentence)
        self.finish_layout()

    def _combo(self, name: str, choices: tuple[tuple[object, str], ...]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for value, label in choices:
            combo.addItem(tr(label), value.value)  # type: ignore[attr-defined]
        combo.currentIndexChanged.connect(self._on_combo)
        return combo

    def load(self) -> None:
        r = self.settings.reconciliation
        self.operation_combo.setCurrentIndex(self.operation_combo.findData(r.operation.value))
        self.doubles_combo.setCurrentIndex(self.doubles_combo.findData(r.doubles.value))
        self.duplicates_combo.setCurrentIndex(self.duplicates_combo.findData(r.duplicates.value))
        self.model.set_reconciliation(r, [m.destination for m in self.settings.mapping])
        self._update_sentence()

    def _on_combo(self) -> None:
        if self._loading:
            return
        r = self.settings.reconciliation
        r.operation = Operation(self.operation_combo.currentData())
        r.doubles = DoublesPolicy(self.doubles_combo.currentData())
        r.duplicates = DoublesPolicy(self.duplicates_combo.currentData())
        self._on_changed()

    def _on_changed(self) -> None:
        r = self.settings.reconciliation
        self.duplicates_combo.setEnabled(r.operation in (Operation.UPSERT, Operation.UPDATE))
        self._update_sentence()
        self.edited()

    def _update_sentence(self) -> None:
        self.sentence.setText(describe_reconciliation(self.settings))

    def problems(self) -> list[str]:
        return reconciliation_problems(self.settings) + key_mapping_problems(self.settings)
