"""The one translation function every user-visible string of the GUI goes through.

Strings are English source text in a single context, so ``pyside6-lupdate`` collects them
into one catalogue per language and the application can ship in French and English.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = "CampaignDesktop"


def tr(text: str) -> str:
    """The translation of ``text`` in the current language (``text`` itself without a catalogue).

    Use ``tr("Delete the template '{label}'?").format(label=...)`` rather than concatenating
    pieces, so a translator sees whole sentences and can move the placeholders.
    """
    return QCoreApplication.translate(CONTEXT, text)
