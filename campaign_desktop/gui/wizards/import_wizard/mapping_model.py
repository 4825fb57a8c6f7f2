"""The Field mapping grid (spec §4.6): source column, sample values, destination field, transformation.

Rows are the file's columns (by label, or ``#N`` when a label repeats, as the engine names
them), then the calculated fields, then any mapped source the file does not have (a template
made for another file), so nothing of a saved mapping is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME, IMPORTABLE_FIELDS, field_display
from campaign_desktop.domain.template import FieldMapping, Transform
from campaign_desktop.gui.i18n import tr
from campaign_desktop.mapping.guess import score_column

_Index = QModelIndex | QPersistentModelIndex

COL_SOURCE, COL_SAMPLES, COL_DESTINATION, COL_TRANSFORM = range(4)
HEADERS = ("Source", "Sample values", "Destination", "Transformation")
DESTINATION_CHOICES = [("", "(not imported)")] + [(f.name, field_display(f.name)) for f in IMPORTABLE_FIELDS]
TRANSFORM_CHOICES = [(t.value, label) for t, label in (
    (Transform.NONE, "None"), (Transform.LOWER, "Switch to lower case"), (Transform.UPPER, "Switch to upper case"),
    (Transform.TITLE, "First letter in upper case"))]


@dataclass
class SourceRow:
    """A source the grid shows: a file column, a calculated field, or a mapped source the file lacks."""

    ref: str  # what FieldMapping.source holds
    label: str
    samples: list[str] = field(default_factory=list)
    calculated: bool = False
    missing: bool = False


def source_refs(columns: list[str]) -> list[str]:
    """The engine's names of the columns: the label, or '#N' for a repeated label."""
    seen: set[str] = set()
    out = []
    for i, c in enumerate(columns):
        out.append(c if c not in seen else f"#{i + 1}")
        seen.add(c)
    return out


class MappingModel(QAbstractTableModel):
    """Edits a mapping list; ``changed`` after each edit. The order of the list follows the rows."""

    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SourceRow] = []
        self._maps: dict[str, FieldMapping] = {}

    def set_sources(self, rows: list[SourceRow], mapping: list[FieldMapping]) -> None:
        self.beginResetModel()
        rows = [SourceRow(r.ref, r.label, list(r.samples), r.calculated, r.missing) for r in rows]
        file_rows = [r for r in rows if not r.calculated and not r.missing]
        for m in mapping:  # '#3' (a template made for any header) names the third column
            s = m.source.strip()
            if len(s) > 1 and s[0] == "#" and s[1:].isdigit() and 1 <= int(s[1:]) <= len(file_rows) \
                    and all(r.ref != m.source for r in rows):
                file_rows[int(s[1:]) - 1].ref = m.source
        known = {r.ref for r in rows}
        self._rows = list(rows) + [SourceRow(m.source, m.source, missing=True) for m in mapping
                                   if m.source not in known]
        self._maps = {m.source: FieldMapping(m.source, m.destination, m.transform) for m in mapping}
        self.endResetModel()

    def set_mapping(self, mapping: list[FieldMapping]) -> None:
        self.set_sources([r for r in self._rows if not r.missing], mapping)
        self.changed.emit()

    def mapping(self) -> list[FieldMapping]:
        return [FieldMapping(m.source, m.destination, m.transform)
                for r in self._rows if (m := self._maps.get(r.ref)) is not None and m.destination]

    def row(self, i: int) -> SourceRow:
        return self._rows[i]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_SOURCE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in (COL_DESTINATION, COL_TRANSFORM):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _duplicated(self, destination: str) -> bool:
        return sum(1 for m in self._maps.values() if m.destination == destination) > 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        m = self._maps.get(r.ref)
        col = index.column()
        if col == COL_SOURCE:
            if role == Qt.ItemDataRole.DisplayRole:
                prefix = tr("Calculated: ") if r.calculated else ""
                return prefix + r.label + (tr(" (not in this file)") if r.missing else "")
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if m is not None and m.destination else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.ForegroundRole and r.missing:
                return QBrush(QColor("#b00020"))
            return None
        if col == COL_SAMPLES:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return ", ".join(r.samples)
            return None
        if col == COL_DESTINATION:
            dest = m.destination if m is not None else ""
            if role == Qt.ItemDataRole.EditRole:
                return dest
            if role == Qt.ItemDataRole.DisplayRole:
                return field_display(dest) if dest in FIELDS_BY_NAME else dest
            if role == Qt.ItemDataRole.ForegroundRole and dest and self._duplicated(dest):
                return QBrush(QColor("#b00020"))
            return None
        transform = m.transform.value if m is not None else Transform.NONE.value
        if role == Qt.ItemDataRole.EditRole:
            return transform
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(dict(TRANSFORM_CHOICES).get(transform, transform)) if m is not None and m.destination else ""
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        r = self._rows[index.row()]
        col = index.column()
        m = self._maps.setdefault(r.ref, FieldMapping(r.ref, ""))
        if col == COL_SOURCE and role == Qt.ItemDataRole.CheckStateRole:
            if Qt.CheckState(value) == Qt.CheckState.Checked:
                suggestion = self._suggest(r)
                if not suggestion:
                    return False
                m.destination = suggestion
            else:
                m.destination = ""
        elif col == COL_DESTINATION and role == Qt.ItemDataRole.EditRole:
            m.destination = str(value or "")
        elif col == COL_TRANSFORM and role == Qt.ItemDataRole.EditRole:
            m.transform = Transform(value)
        else:
            return False
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1))
        self.changed.emit()
        return True

    def _suggest(self, r: SourceRow) -> str:
        """The best field for this column that no other column takes yet (checking a box)."""
        taken = {m.destination for m in self._maps.values()}
        for _score, name in score_column(r.label):
            if name not in taken:
                return name
        return ""

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return None
