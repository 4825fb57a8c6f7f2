"""The detail pane of a job template: its identity, what it does, and Save for a user template."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.template import JobKind, JobTemplate
from campaign_desktop.gui.explorer.template_summary import summarize
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.models.item_table import format_datetime


def summary_html(template: JobTemplate) -> str:
    parts = []
    for section in summarize(template):
        items = "".join(f"<li>{html.escape(line)}</li>" for line in section.lines)
        top = 6 if parts else 0
        parts.append(f"<p style='margin:{top}px 0 2px 0'><b>{html.escape(section.title)}</b></p>"
                     f"<ul style='margin:0 0 0 -20px'>{items}</ul>")
    return "".join(parts)


class TemplateForm(QWidget):
    """Shows one template; the label and description of a user template can be edited and saved.

    Signals:
        save_requested: ``(JobTemplate)`` a copy of the shown template with the edited label and
            description; the window writes it.
        duplicate_requested: the built-in banner's Duplicate button was clicked.
    """

    save_requested = Signal(object)
    duplicate_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("template_form")
        # A built-in's fields must not look editable.
        self.setStyleSheet("QLineEdit[readOnly=\"true\"], QPlainTextEdit[readOnly=\"true\"]"
                           " { background: palette(window); }")
        self.template: JobTemplate | None = None

        self.title = QLabel(self)
        self.title.setObjectName("detail_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.banner = QFrame(self)
        self.banner.setObjectName("builtin_banner")
        self.banner.setStyleSheet("#builtin_banner { background: #fff4cc; border: 1px solid #e0c060;"
                                  " border-radius: 3px; }")
        banner_icon = QLabel(self.banner)
        banner_icon.setPixmap(icon("lock").pixmap(16, 16))
        self.banner_text = QLabel(tr("Built-in template: duplicate it to make changes"), self.banner)
        self.banner_text.setObjectName("builtin_banner_text")
        self.banner_duplicate = QPushButton(icon("duplicate"), tr("Duplicate"), self.banner)
        self.banner_duplicate.clicked.connect(self.duplicate_requested)
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(banner_icon)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.banner_duplicate)

        self.label_edit = QLineEdit(self)
        self.label_edit.setObjectName("label_edit")
        self.label_edit.setMaxLength(128)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("description_edit")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.description_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.kind_value = self._value_label("kind_value")
        self.folder_value = self._value_label("folder_value")
        self.internal_name_value = self._value_label("internal_name_value")
        self.created_by_value = self._value_label("created_by_value")
        self.created_at_value = self._value_label("created_at_value")
        self.state_value = self._value_label("state_value")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(6)
        form.addRow(tr("Label:"), self.label_edit)
        form.addRow(tr("Description:"), self.description_edit)
        form.addRow(tr("Type:"), self.kind_value)
        form.addRow(tr("Folder:"), self.folder_value)
        form.addRow(tr("Internal name:"), self.internal_name_value)
        form.addRow(tr("Created by:"), self.created_by_value)
        form.addRow(tr("Creation date:"), self.created_at_value)
        form.addRow(tr("Can be changed:"), self.state_value)

        self.hint = QLabel(self)
        self.hint.setObjectName("form_hint")
        self.hint.setStyleSheet("color: #a33431;")
        self.save_button = QPushButton(tr("&Save"), self)
        self.save_button.setObjectName("save_button")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._on_save)
        self.revert_button = QPushButton(tr("Re&vert"), self)
        self.revert_button.setObjectName("revert_button")
        self.revert_button.setToolTip(tr("Forget the changes not saved yet"))
        self.revert_button.clicked.connect(self.revert)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        left = QVBoxLayout()
        left.addLayout(form, 1)
        left.addLayout(buttons)

        self.summary = QTextBrowser(self)
        self.summary.setObjectName("settings_summary")
        self.summary.setFrameShape(QFrame.Shape.NoFrame)
        self.summary.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.summary.viewport().setAutoFillBackground(False)
        summary_title = QLabel(tr("What this template does"), self)
        bold = summary_title.font()
        bold.setBold(True)
        summary_title.setFont(bold)
        summary_title.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        right = QVBoxLayout()
        right.setSpacing(2)
        right.addWidget(summary_title)
        right.addWidget(self.summary, 1)

        columns = QHBoxLayout()
        columns.setSpacing(18)
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)

        self.label_edit.textChanged.connect(self._update_buttons)
        self.description_edit.textChanged.connect(self._update_buttons)

    def _value_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # --- API --------------------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return self.template is not None and not self.template.read_only

    def show_template(self, template: JobTemplate) -> None:
        """Show ``template`` (a private copy, so editing never changes the list before Save)."""
        self.template = template.copy()
        self.revert()

    def revert(self) -> None:
        tpl = self.template
        if tpl is None:
            return
        self.title.setText(tr("Job template “{label}”").format(label=tpl.label))
        self.banner.setVisible(tpl.read_only)
        for widget in (self.label_edit, self.description_edit):
            widget.blockSignals(True)
        self.label_edit.setText(tpl.label)
        self.description_edit.setPlainText(tpl.description)
        for widget in (self.label_edit, self.description_edit):
            widget.blockSignals(False)
        for widget in (self.label_edit, self.description_edit):
            widget.setReadOnly(tpl.read_only)
            widget.style().unpolish(widget)  # the style sheet depends on readOnly
            widget.style().polish(widget)
        self.kind_value.setText(tr("Import") if tpl.kind is JobKind.IMPORT else tr("Export"))
        self.folder_value.setText(tr(tpl.folder))
        self.internal_name_value.setText(tpl.internal_name)
        self.created_by_value.setText(tpl.created_by)
        self.created_at_value.setText(format_datetime(tpl.created_at))
        self.state_value.setText(tr("No (built-in template)") if tpl.read_only else tr("Yes"))
        self.summary.setHtml(summary_html(tpl))
        self.save_button.setVisible(not tpl.read_only)
        self.revert_button.setVisible(not tpl.read_only)
        self._update_buttons()

    def is_dirty(self) -> bool:
        tpl = self.template
        if tpl is None or tpl.read_only:
            return False
        return (self.label_edit.text().strip() != tpl.label
                or self.description_edit.toPlainText() != tpl.description)

    def edited_template(self) -> JobTemplate | None:
        """The shown template with the label and description typed in the form."""
        if self.template is None:
            return None
        tpl = self.template.copy()
        tpl.label = self.label_edit.text().strip()
        tpl.description = self.description_edit.toPlainText()
        return tpl

    def focus_label(self) -> None:
        self.label_edit.setFocus()
        self.label_edit.selectAll()

    # --- slots -----------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        empty = self.editable and not self.label_edit.text().strip()
        self.hint.setText(tr("A template needs a label.") if empty else "")
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and not empty)
        self.revert_button.setEnabled(dirty)

    def _on_save(self) -> None:
        tpl = self.edited_template()
        if tpl is not None and self.is_dirty() and tpl.label:
            # What is sent to be saved is the new baseline: nothing is left to ask about. If
            # saving fails, the list is read again and shows the stored template.
            self.show_template(tpl)
            self.save_requested.emit(tpl)
