"""What a user does to job templates, each as one service call run on the writer thread.

Duplicate, rename, delete, create and save are thin adapters (Anki's "operations"): they
ask what must be asked (Delete?), run the call in the background, and announce the outcome
with a signal the window turns into a reload and a selection. The rules (built-ins are
read-only, a label is required) are enforced by the repository; an error it raises comes
back here and is shown as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from campaign_desktop.domain.explorer import TemplateItem
from campaign_desktop.domain.template import JobKind, JobTemplate
from campaign_desktop.gui.errors import message_box
from campaign_desktop.gui.i18n import tr

if TYPE_CHECKING:
    from campaign_desktop.gui.app import CampaignApp


class TemplateOperations(QObject):
    """Background operations on job templates.

    Signals:
        changed: ``(object)`` the templates changed; the id of the template to select after the
            list is read again (None: keep the selection).
        created: ``(int)`` a new template was created (New > Import/Export template); its id.
    """

    changed = Signal(object)
    created = Signal(int)

    def __init__(self, app: CampaignApp, window: QWidget) -> None:
        super().__init__(window)
        self._app = app
        self._window = window

    def _write(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
               reload_key: object = None) -> None:
        def failed(exc: Exception) -> None:
            self._app.show_error(self._window, exc)
            self.changed.emit(reload_key)  # the list shows the truth again (e.g. after an in-place rename)

        self._app.runner.run(fn, on_done=on_done, on_error=failed, owner=self._window, writes=True)

    def duplicate(self, item: TemplateItem) -> None:
        """'Copy of <label>', editable, selected once the list is read again."""
        template_id = item.template.id
        assert template_id is not None
        service = self._app.service
        self._write(lambda: service.duplicate_template(template_id), lambda tpl: self.changed.emit(tpl.id),
                    template_id)

    def rename(self, item: TemplateItem, label: str) -> None:
        template_id = item.template.id
        assert template_id is not None
        repo = self._app.service.templates
        self._write(lambda: repo.rename(template_id, label), lambda tpl: self.changed.emit(tpl.id),
                    template_id)

    def save(self, template: JobTemplate, *, select: bool = True) -> None:
        """Write the label and description typed in the detail form.

        Args:
            select: select the template once saved; False when the user is leaving it for
                another item (the selection stays where the user went).
        """
        repo = self._app.service.templates
        key = template.id if select else None
        self._write(lambda: repo.save(template), lambda tpl: self.changed.emit(key), key)

    def create(self, kind: JobKind) -> None:
        """A new user template from the blank built-in of ``kind`` (File > New)."""
        service = self._app.service
        self._write(lambda: service.new_template(kind), lambda tpl: self.created.emit(tpl.id))

    def delete(self, item: TemplateItem) -> QMessageBox:
        """Ask, then delete. A built-in is refused with a message instead.

        Returns:
            The question (or the refusal) box, already shown; it closes itself.
        """
        label = item.template.label
        if not item.can_delete:
            return message_box(self._window, tr("“{label}” is a built-in template and cannot be deleted. "
                                                "Duplicate it to make your own copy.").format(label=label),
                               name="delete_refused")
        box = QMessageBox(QMessageBox.Icon.Question, tr("Delete"),
                          tr("Delete the template '{label}'?").format(label=label),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self._window)
        box.setObjectName("confirm_delete")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setInformativeText(tr("Jobs already started from it keep their own copy of its settings."))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        template_id = item.template.id
        repo = self._app.service.templates

        def answered(_result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self._write(lambda: repo.delete(template_id), lambda _: self.changed.emit(None))

        box.finished.connect(answered)
        box.open()
        return box
