"""What every page of the export wizard shares: the draft it edits and its inline problems.

Like the import wizard's pages: a page reads the wizard's draft when shown and writes every edit
straight back; *Next* follows :meth:`ExportPage.isComplete`, which asks the core checks (the ones
the CLI uses) for this page's problems, shown in red under the page.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget, QWizardPage

from campaign_desktop.domain.template import ExportSettings, JobTemplate

if TYPE_CHECKING:
    from campaign_desktop.gui.wizards.export.wizard import ExportWizard


class ExportPage(QWizardPage):
    def __init__(self, title: str, subtitle: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.layout_ = QVBoxLayout(self)
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("problems_label")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self._loading = False

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.problems_label)

    @property
    def export_wizard(self) -> ExportWizard:
        return self.wizard()  # type: ignore[return-value]

    def attached(self) -> bool:
        return hasattr(self.wizard(), "draft")

    @property
    def draft(self) -> JobTemplate:
        return self.export_wizard.draft

    @property
    def settings(self) -> ExportSettings:
        s = self.export_wizard.draft.export_settings
        assert s is not None
        return s

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self._loading = True
        try:
            self.load()
        finally:
            self._loading = False
        self.refresh_problems()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt override
        """Going back keeps what was typed."""

    def edited(self) -> None:
        if self._loading or not self.attached():
            return
        self.export_wizard.draft_edited()
        self.refresh_problems()

    def refresh_problems(self) -> None:
        problems = self.problems() if self.attached() else []
        self.problems_label.setText("<br>".join(f'<span style="color:#b00020">⚠ {html.escape(p)}</span>'
                                                for p in problems))
        self.problems_label.setVisible(bool(problems))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.attached() and not self.problems()

    def load(self) -> None:
        """Show the draft's values in the controls."""

    def problems(self) -> list[str]:
        return []
