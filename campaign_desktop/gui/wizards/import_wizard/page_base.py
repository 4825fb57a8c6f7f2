"""The base of the import wizard's pages: the shared draft page, typed for import settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaign_desktop.domain.template import ImportSettings
from campaign_desktop.gui.wizards.draft_page import DraftPage

if TYPE_CHECKING:
    from campaign_desktop.gui.wizards.import_wizard.wizard import ImportWizard


class ImportPage(DraftPage):
    """A page of the import wizard (see :class:`DraftPage`)."""

    @property
    def import_wizard(self) -> ImportWizard:
        return self.wizard()  # type: ignore[return-value]

    @property
    def settings(self) -> ImportSettings:
        s = self.draft.import_settings
        assert s is not None
        return s
