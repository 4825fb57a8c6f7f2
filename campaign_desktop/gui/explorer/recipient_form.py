"""The recipient form a double-click opens: every field of spec §8, the opt-out flags, memberships.

The form is built from the field catalogue (:mod:`campaign_desktop.domain.recipient_fields`),
so a field added there appears here with its label and the right editor. Reading and saving
run in the background; values the core refuses come back per field and show in red under the
field concerned (an invalid email says so beside the email), and nothing is saved until all
are right.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.recipient_edit import EDITABLE_FIELDS
from campaign_desktop.domain.recipient_fields import DENYLIST_FIELDS, FIELDS_BY_NAME, FieldType
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.models.item_table import format_datetime
from campaign_desktop.storage.recipients_repo import RecipientRecord, RecipientValidationError

if TYPE_CHECKING:
    from campaign_desktop.gui.app import CampaignApp

GENERAL = ("email", "email_format", "salutation", "first_name", "middle_name", "last_name", "account", "company",
           "birth_date", "gender", "language", "status", "origin", "mobile_phone", "phone", "fax", "comment")
ADDRESS = ("address1", "address2", "address3", "address4", "zip_code", "city", "state_code", "country_code")
ERROR_STYLE = "color: #b00020;"


class RecipientForm(QDialog):
    """One recipient's profile, editable.

    Signals:
        loaded: the record has been read and shown.
        saved: ``(int)`` the recipient's id, once the changes are stored.
        save_refused: ``(dict)`` {field: message} the core refused (shown under the fields).
    """

    loaded = Signal()
    saved = Signal(int)
    save_refused = Signal(dict)

    def __init__(self, app: CampaignApp, recipient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recipient_form")
        self.app = app
        self.recipient_id = recipient_id
        self.record: RecipientRecord | None = None
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.setWindowTitle(tr("Recipient"))
        self.resize(620, 640)

        self.title = QLabel(tr("Reading…"), self)
        self.title.setObjectName("recipient_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._fields_tab(GENERAL), tr("General"))
        self.tabs.addTab(self._fields_tab(ADDRESS), tr("Location"))
        self.tabs.addTab(self._fields_tab(DENYLIST_FIELDS), tr("No longer contact"))
        self.tabs.addTab(self._membership_tab(), tr("Lists and history"))
        self.general_error = QLabel(self)
        self.general_error.setObjectName("form_error")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        app.runner.run(lambda: app.service.recipients.get(recipient_id), on_done=self._show,
                       on_error=self._on_read_error, owner=self)

    # --- construction ----------------------------------------------------------------------

    def _editor(self, name: str) -> QWidget:
        f = FIELDS_BY_NAME[name]
        if f.type is FieldType.BOOLEAN:
            editor: QWidget = QCheckBox(tr(f.label), self)
        elif f.enum:
            combo = QComboBox(self)
            for value, label in f.enum.items():
                combo.addItem(tr(label), value)
            editor = combo
        elif f.type is FieldType.INTEGER:
            spin = QSpinBox(self)
            spin.setRange(0, 255)
            editor = spin
        elif name == "comment":
            text = QPlainTextEdit(self)
            text.setFixedHeight(60)
            editor = text
        else:
            line = QLineEdit(self)
            if f.length:
                line.setMaxLength(max(f.length * 4, 64))  # the core says "too long" rather than cut silently
            if f.type is FieldType.DATE:
                line.setPlaceholderText("YYYY-MM-DD")
            editor = line
        editor.setObjectName(f"field_{name}")
        editor.setToolTip(f.xpath)
        return editor

    def _fields_tab(self, names: tuple[str, ...]) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for name in names:
            editor = self._editor(name)
            error = QLabel(page)
            error.setObjectName(f"error_{name}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            box = QWidget(page)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(1)
            column.addWidget(editor)
            column.addWidget(error)
            self.editors[name], self.errors[name] = editor, error
            f = FIELDS_BY_NAME[name]
            form.addRow("" if f.type is FieldType.BOOLEAN else tr(f.label) + ":", box)
        scroll = QScrollArea(self)  # error lines add height: scroll rather than squeeze the fields
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    def _membership_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.facts: dict[str, QLabel] = {}
        for key, label in (("folder", "Folder"), ("lists", "Lists"), ("subscriptions", "Subscriptions"),
                           ("created", "Creation date"), ("created_by_job", "Created by the import"),
                           ("last_modified", "Modification date"), ("modified_by_job", "Last changed by the import"),
                           ("id", "Primary key")):
            value = QLabel(page)
            value.setObjectName(f"fact_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = value
            form.addRow(tr(label) + ":", value)
        return page

    # --- values ----------------------------------------------------------------------------

    def _set_value(self, name: str, value: Any) -> None:
        editor = self.editors[name]
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value if value is not None else 0)))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value or 0))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value or "")
        elif isinstance(editor, QLineEdit):
            editor.setText(value.isoformat() if isinstance(value, date) else (value or ""))

    def value(self, name: str) -> Any:
        """What the field holds now, typed as the core expects it."""
        editor = self.editors[name]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        assert isinstance(editor, QLineEdit)
        return editor.text()

    def set_text(self, name: str, text: str) -> None:
        """Type into a text field (tests, and a future "fill from clipboard")."""
        self._set_value(name, text)

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the record read."""
        if self.record is None:
            return {}
        out: dict[str, Any] = {}
        for name in EDITABLE_FIELDS:
            if name not in self.editors:
                continue
            now, before = self.value(name), self.record.values.get(name)
            before_shown = before.isoformat() if isinstance(before, date) else before
            if isinstance(now, str) and (before_shown or "") == now:
                continue
            if isinstance(now, bool) and bool(before) == now:
                continue
            if isinstance(now, int) and not isinstance(now, bool) and int(before or 0) == now:
                continue
            out[name] = now
        return out

    def _show(self, record: RecipientRecord) -> None:
        self.record = record
        v = record.values
        name = " ".join(p for p in (v.get("first_name"), v.get("last_name")) if p)
        self.title.setText(tr("Recipient “{label}”").format(label=name or v.get("email") or f"#{record.id}"))
        self.setWindowTitle(self.title.text())
        for field_name in self.editors:
            self._set_value(field_name, v.get(field_name))

        def job(ref: tuple[int, str] | None) -> str:
            return tr("{label} (job #{id})").format(label=ref[1], id=ref[0]) if ref else tr("(not by an import)")

        self.facts["folder"].setText(record.folder[1] if record.folder else tr("(none)"))
        self.facts["lists"].setText(", ".join(label for _, label in record.lists) or tr("(none)"))
        self.facts["subscriptions"].setText(", ".join(label for _, label in record.subscriptions) or tr("(none)"))
        self.facts["created"].setText(format_datetime(v.get("created")))
        self.facts["last_modified"].setText(format_datetime(v.get("last_modified")))
        self.facts["created_by_job"].setText(job(record.created_by_job))
        self.facts["modified_by_job"].setText(job(record.modified_by_job))
        self.facts["id"].setText(str(record.id))
        self.save_button.setEnabled(True)
        self.loaded.emit()

    # --- saving ----------------------------------------------------------------------------

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each message under its field; the first tab with one comes to the front."""
        for name, label in self.errors.items():
            label.setText(problems.get(name, ""))
            label.setVisible(name in problems)
        first = next((n for n in self.editors if n in problems), None)
        if first is not None:
            editor = self.editors[first]
            for n in range(self.tabs.count()):
                if self.tabs.widget(n).isAncestorOf(editor):
                    self.tabs.setCurrentIndex(n)
            editor.setFocus()
        self.general_error.setVisible(bool(problems))
        self.general_error.setText(tr("Nothing was saved: correct the fields in red.") if problems else "")

    def save(self) -> None:
        if self.record is None:
            return
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self.save_button.setEnabled(False)
        rid, repo = self.recipient_id, self.app.service.recipients
        self.app.runner.run(lambda: repo.update(rid, changes), on_done=self._on_saved, on_error=self._on_save_error,
                            owner=self, writes=True)

    def _on_saved(self, record: RecipientRecord) -> None:
        self.show_problems({})
        self._show(record)
        self.saved.emit(record.id)
        self.accept()

    def _on_save_error(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, RecipientValidationError):
            self.show_problems(exc.problems)
            self.save_refused.emit(exc.problems)
        else:
            self.app.show_error(self, exc)

    def _on_read_error(self, exc: Exception) -> None:
        self.title.setText(tr("This recipient cannot be shown."))
        self.general_error.setText(str(exc))
        self.general_error.show()
