"""What the main window opens: the import and export wizards, and the database connection dialog.

A mixin of :class:`~campaign_desktop.gui.explorer.main_window.MainWindow`, kept apart so the
window stays about its explorer; it uses the window's ``app``, ``selected_item`` and ``job_started``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.explorer import TemplateItem
from campaign_desktop.domain.template import JobKind, JobTemplate

if TYPE_CHECKING:
    from campaign_desktop.gui.app import CampaignApp


class LaunchersMixin:
    """Start / New > Import… / New > Export… / File > Database connection."""

    app: CampaignApp
    import_wizard: Any
    export_wizard: Any
    job_started: Any

    def selected_item(self) -> Any:  # provided by the window
        raise NotImplementedError

    def start_selected(self) -> None:
        item = self.selected_item()
        if isinstance(item, TemplateItem) and item.can_start:
            if item.template.kind is JobKind.IMPORT:
                self.open_import_wizard(item.template)
            else:
                self.open_export_wizard(item.template)

    def open_export_wizard(self, template: JobTemplate | None = None, job_id: int | None = None) -> None:
        """The Data export wizard on a template (New text export by default) or a saved job."""
        from campaign_desktop.gui.wizards.export import open_export_wizard

        try:
            wizard = open_export_wizard(self, self.app.service, template, job_id=job_id, runner=self.app.runner)
        except UserError as exc:
            self.app.show_error(self, exc)  # type: ignore[arg-type]
            return
        self.export_wizard = wizard  # (open_export_wizard connects its job_started to the window's)

    def open_import_wizard(self, template: JobTemplate | None = None, job_id: int | None = None) -> None:
        """The Data import wizard on a template (New text import by default) or a saved job."""
        from campaign_desktop.gui.wizards.import_wizard import open_import_wizard

        def show(tpl: JobTemplate | None) -> None:
            try:
                wizard = open_import_wizard(self, self.app.service, tpl, job_id, runner=self.app.runner)
            except UserError as exc:
                self.app.show_error(self, exc)  # type: ignore[arg-type]
                return
            wizard.job_started.connect(self.job_started)
            self.import_wizard = wizard

        if template is None and job_id is None:
            self.app.runner.run(lambda: self.app.service.templates.get("newImport"), on_done=show, owner=self)
        else:
            show(template)

    def choose_database(self) -> None:
        """File > Database connection: on Connect, the window reopens on the chosen database."""
        from PySide6.QtWidgets import QDialog

        from campaign_desktop.gui.dialogs.connection_dialog import ConnectionDialog

        dialog = ConnectionDialog(self.app.settings.connection, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.app.settings.connection = dialog.settings()
        self.reopen_url, self.reopen_requested = dialog.url(), True
        if not self.close():  # the user kept the window (a job still running)
            self.reopen_requested = False

