"""The Rejects tab's models: a job's rejected lines, paged lazily, and the selected one's details.

A job can reject 100,000 lines. The view asks for more rows when the user scrolls near the
end (``canFetchMore``/``fetchMore``); each page of 500 is read on a worker thread by a keyset
query and appended when it arrives, so the window never waits for the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

from campaign_desktop.domain.job import Connector, Reject
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.models.item_table import format_count
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.storage.rejects_page import RejectRow

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

REJECTS_PAGE = 500
MORE_EVERY_S = 1.0
REJECT_ROLE = Qt.ItemDataRole.UserRole + 11
COLUMNS = ("Line", "Connector", "Field", "Value", "Message")
CONNECTOR_LABELS = {Connector.TEXT: "Text connector", Connector.DATABASE: "Database connector"}

PageReader = Callable[[int, tuple[int, int], int], list[RejectRow]]
"""``(job_id, after (line_no, id), limit)`` -> the next rows; runs on a worker thread."""
CountReader = Callable[[int], int]


class RejectsModel(QAbstractTableModel):
    """The rejects of one job in line order, loaded page by page.

    Signals:
        total_changed: ``(int)`` how many rejects the job has (the "200 / 100,000" counter).
        page_loaded: a page arrived (or the last, short one).
        failed: ``(Exception)`` a page could not be read.
    """

    total_changed = Signal(int)
    page_loaded = Signal()
    failed = Signal(object)

    def __init__(self, read_page: PageReader, count: CountReader, runner: TaskRunner,
                 parent: QObject | None = None, page_size: int = REJECTS_PAGE) -> None:
        super().__init__(parent)
        self._read_page = read_page
        self._count = count
        self._runner = runner
        self._page_size = page_size
        self._rows: list[RejectRow] = []
        self._job_id: int | None = None
        self._total: int | None = None
        self._loading = False
        self._exhausted = True
        self._generation = 0
        self._more_read_at = 0.0

    # --- Qt API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        rej = self._rows[index.row()].reject
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return format_count(rej.line_no)
            return (None, tr(CONNECTOR_LABELS[rej.connector]), rej.field, rej.value, rej.message)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return icon("status-cancelled")
        if role == Qt.ItemDataRole.ToolTipRole and col == 4:
            return rej.message
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == REJECT_ROLE:
            return rej
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return tr(COLUMNS[section])
        return super().headerData(section, orientation, role)

    def canFetchMore(self, parent: Index = _ROOT) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = _ROOT) -> None:  # noqa: N802 - Qt override
        if not self.canFetchMore(parent) or self._job_id is None:
            return
        self._loading = True
        job_id, generation, size = self._job_id, self._generation, self._page_size
        after = (self._rows[-1].reject.line_no, self._rows[-1].id) if self._rows else (-1, -1)
        read = self._read_page
        self._runner.run(lambda: read(job_id, after, size),
                         on_done=lambda rows: self._on_page(generation, after, rows),
                         on_error=lambda exc: self._on_error(generation, exc), owner=self)

    # --- our API -------------------------------------------------------------------------

    @property
    def job_id(self) -> int | None:
        return self._job_id

    @property
    def total(self) -> int | None:
        return self._total

    @property
    def loading(self) -> bool:
        return self._loading

    def reject(self, row: int) -> Reject | None:
        return self._rows[row].reject if 0 <= row < len(self._rows) else None

    def reload(self, job_id: int | None) -> None:
        """Show the rejects of ``job_id`` from the first page (None: nothing)."""
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self._rows = []
        self._job_id = job_id
        self._total = None
        self._loading = False
        self._exhausted = job_id is None
        self.endResetModel()
        if job_id is None:
            return
        count = self._count
        self._runner.run(lambda: count(job_id), on_done=lambda n: self._on_count(generation, n),
                         on_error=lambda exc: self._on_error(generation, exc), owner=self)
        self.fetchMore(_ROOT)

    def look_for_more(self, total: int) -> None:
        """A running job has rejected ``total`` lines by now: allow reading those not shown yet.

        At most one read a second: the job keeps rejecting while the user reads.
        """
        if self._job_id is None or (self._total is not None and total <= self._total):
            return  # a job's rejects only grow
        self._total = total
        self.total_changed.emit(total)
        now = time.monotonic()
        if total > len(self._rows) and self._exhausted and now - self._more_read_at >= MORE_EVERY_S:
            self._more_read_at = now
            self._exhausted = False
            self.fetchMore(_ROOT)

    # --- results ---------------------------------------------------------------------------

    def _on_page(self, generation: int, after: tuple[int, int], rows: list[RejectRow]) -> None:
        last = (self._rows[-1].reject.line_no, self._rows[-1].id) if self._rows else (-1, -1)
        if generation != self._generation or after != last:
            return
        if len(rows) < self._page_size:
            self._exhausted = True
        if rows:
            first = len(self._rows)
            self.beginInsertRows(_ROOT, first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._loading = False
        self.page_loaded.emit()

    def _on_count(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self._total = total
            self.total_changed.emit(total)

    def _on_error(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = True
        self.failed.emit(exc)


def reject_details_model(reject: Reject | None, parent: QObject | None = None) -> QStandardItemModel:
    """The lower pane of the Rejects tab: the entity, then each field's value and its message."""
    model = QStandardItemModel(0, 3, parent)
    model.setHorizontalHeaderLabels([tr("Log message"), tr("Field value"), tr("Message")])
    if reject is None:
        return model
    entity = [QStandardItem(icon("recipients"), tr("Recipient")), QStandardItem(""),
              QStandardItem(tr("Entity rejected: {message}").format(message=reject.message))]
    failing = {fe.field: fe for fe in reject.field_errors}
    if reject.field and reject.field not in failing:
        failing[reject.field] = None  # type: ignore[assignment]
    values = dict(reject.values)
    for fe in reject.field_errors:
        values.setdefault(fe.field, fe.value)
    if reject.field:
        values.setdefault(reject.field, reject.value)
    for name, value in values.items():
        fe = failing.get(name)
        message = fe.message if fe is not None else (reject.message if name in failing else "")
        row = [QStandardItem(name), QStandardItem(value), QStandardItem(message)]
        if message:
            row[0].setIcon(icon("status-cancelled"))
        entity[0].appendRow(row)
    for item in entity:
        item.setEditable(False)
    model.appendRow(entity)
    for r in range(entity[0].rowCount()):
        for c in range(3):
            entity[0].child(r, c).setEditable(False)
    return model
