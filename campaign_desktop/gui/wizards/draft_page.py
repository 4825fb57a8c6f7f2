"""What every page of the import and export wizards shares: the draft it edits and its inline problems.

A page never keeps its own copy of the settings: it reads the wizard's draft when shown and
writes every edit straight back, so Save, Save as template and Start see exactly the screen.
*Next* follows :meth:`DraftPage.isComplete`, which asks the shared core validation (the one the
CLI uses) for this page's problems; they are shown in red under the page, never in a box.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget, QWizardPage

from campaign_desktop.domain.template import JobTemplate

PROBLEM_COLOUR = "#b00020"
WARNING_COLOUR = "#a15c00"


class DraftPage(QWizardPage):
    """A wizard page over the wizard's draft: lays out its controls, then fills :meth:`load` and :meth:`problems`.

    The wizard must have a ``draft`` (the JobTemplate being edited) and a ``draft_edited()`` method.
    """

    def __init__(self, title: str, subtitle: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self._layout = QVBoxLayout(self)
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("problems_label")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self._loading = False

    @property
    def layout_(self) -> QVBoxLayout:
        return self._layout

    def finish_layout(self) -> None:
        """Put the problems line last, under whatever the subclass laid out."""
        self._layout.addWidget(self.problems_label)

    # --- the draft ---------------------------------------------------------------------------

    def attached(self) -> bool:
        """False while the wizard is being torn down (a late focus-out must not touch the draft)."""
        return hasattr(self.wizard(), "draft")

    @property
    def draft(self) -> JobTemplate:
        return self.wizard().draft  # type: ignore[attr-defined, no-any-return]

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self._loading = True
        try:
            self.load()
        finally:
            self._loading = False
        self.refresh_problems()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt override
        """Going back keeps what was typed (QWizard would reset registered fields)."""

    def edited(self) -> None:
        """A control changed the draft: tell the wizard (title `*`) and re-check the page."""
        if self._loading or not self.attached():
            return
        self.wizard().draft_edited()  # type: ignore[attr-defined]
        self.refresh_problems()

    def refresh_problems(self) -> None:
        problems, warnings = (self.problems(), self.warnings()) if self.attached() else ([], [])
        lines = [f'<span style="color:{PROBLEM_COLOUR}">⚠ {html.escape(p)}</span>' for p in problems]
        lines += [f'<span style="color:{WARNING_COLOUR}">⚠ {html.escape(w)}</span>' for w in warnings]
        self.problems_label.setText("<br>".join(lines))
        self.problems_label.setVisible(bool(lines))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.attached() and not self.problems()

    # --- for subclasses ----------------------------------------------------------------------

    def load(self) -> None:
        """Show the draft's values in the controls."""

    def problems(self) -> list[str]:
        """Why *Next* is disabled, as sentences (empty: the page is valid)."""
        return []

    def warnings(self) -> list[str]:
        """What the user should check, shown like problems but without disabling *Next*."""
        return []
