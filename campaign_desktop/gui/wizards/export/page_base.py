"""The base of the export wizard's pages: the shared draft page, typed for export settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaign_desktop.domain.template import ExportSettings
from campaign_desktop.gui.wizards.draft_page import DraftPage

if TYPE_CHECKING:
    from campaign_desktop.gui.wizards.export.wizard import ExportWizard


class ExportPage(DraftPage):
    """A page of the export wizard (see :class:`DraftPage`)."""

    @property
    def export_wizard(self) -> ExportWizard:
        return self.wizard()  # type: ignore[return-value]

    @property
    def settings(self) -> ExportSettings:
        s = self.draft.export_settings
        assert s is not None
        return s
