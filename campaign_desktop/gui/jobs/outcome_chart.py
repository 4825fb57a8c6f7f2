"""A small painted bar of a job's outcome: inserted, updated, ignored, rejected.

People would rather look than read (spec issue 4): one stacked bar shows at a glance how a
run went; a legend under it gives the numbers. Painted by hand, no QtCharts dependency.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from campaign_desktop.domain.job import Counters
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.models.item_table import format_count

SEGMENTS: list[tuple[str, str, str]] = [
    ("inserted", "Inserted", "#3c9a5f"),
    ("updated", "Updated", "#3d7cc9"),
    ("ignored", "Ignored", "#a0a4aa"),
    ("rejected", "Rejected", "#d0473f"),
]


class OutcomeChart(QWidget):
    """One stacked bar and its legend; :meth:`set_counters` repaints it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcome_chart")
        self.values: dict[str, int] = {key: 0 for key, _, _ in SEGMENTS}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(tr("What became of the lines read"))
        self._repaint = QTimer(self)
        self._repaint.setSingleShot(True)
        self._repaint.setInterval(1000)
        self._repaint.timeout.connect(self.update)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        line = self.fontMetrics().height()
        return QSize(260, 22 + 2 * line + 10)

    def set_counters(self, counters: Counters) -> None:
        """Show ``counters``; while they keep changing (a running job), repaint at most once a second.

        The painting is Python code on the GUI thread: it holds the lock the running job needs.
        """
        values = {key: int(getattr(counters, key)) for key, _, _ in SEGMENTS}
        values["updated"] += counters.deleted
        if values == self.values:
            return
        self.values = values
        if not self._repaint.isActive():
            self.update()
            self._repaint.start()  # later changes within the second wait for it

    def flush(self) -> None:
        """Paint the latest values now (the job ended)."""
        self._repaint.stop()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = self.width() - 2
        bar = QRectF(1, 1, width, 18)
        total = sum(self.values.values())
        p.setPen(QColor("#c8ccd2"))
        p.setBrush(self.palette().base())
        p.drawRoundedRect(bar, 3, 3)
        x = bar.left()
        if total:
            for key, _, color in SEGMENTS:
                w = bar.width() * self.values[key] / total
                if w > 0:
                    p.fillRect(QRectF(x, bar.top() + 1, w, bar.height() - 1), QColor(color))
                    x += w
        line = self.fontMetrics().height()
        p.setPen(self.palette().text().color())
        lx, ly = 1.0, bar.bottom() + 6
        for key, label, color in SEGMENTS:
            text = f"{tr(label)} {format_count(self.values[key])}"
            tw = self.fontMetrics().horizontalAdvance(text) + 26
            if lx + tw > width and lx > 1:
                lx, ly = 1.0, ly + line + 2
            p.fillRect(QRectF(lx, ly + 2, 10, line - 4), QColor(color))
            p.drawText(QRectF(lx + 14, ly, tw, line), int(Qt.AlignmentFlag.AlignVCenter), text)
            lx += tw
        p.end()
