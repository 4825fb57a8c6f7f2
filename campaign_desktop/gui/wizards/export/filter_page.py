"""Screen 6 of the export wizard (spec §5.7), Data filtering: a visual builder of nested AND/OR groups.

The top combo joins the first level; *Add a group* nests a sub-group with its own AND/OR (its
*Operator* cell), *Indent* / *Outdent* move a row one level in or out. Under the tree: the query
in words and how many recipients match, counted by a worker a moment after each edit (never on
the GUI thread). The tree is the template's own filter, so the JSON and the CLI read the same.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.template import Condition
from campaign_desktop.export.conditions import condition_problems, describe_condition
from campaign_desktop.export.preview import count_matching, plan_export
from campaign_desktop.export.query import sql_text
from campaign_desktop.gui.errors import error_text
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.export.condition_tree import (
    GROUP_CHOICES,
    OPERATOR_CHOICES,
    ConditionTreeModel,
)
from campaign_desktop.gui.wizards.export.models import FIELD_CHOICES
from campaign_desktop.gui.wizards.export.page_base import ExportPage
from campaign_desktop.gui.wizards.import_wizard.combo_delegate import ComboDelegate

COUNT_DELAY_MS = 300


class FilterPage(ExportPage):
    """Data filtering: nested groups of conditions, the query in words and the matching count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Data filtering"), tr("Filter conditions build the WHERE clause. Leave the list empty "
                                                  "to export every recipient; add a group to mix AND and OR."),
                         parent)
        self.join_combo = QComboBox(self)
        self.join_combo.setObjectName("join_combo")
        for value, label in GROUP_CHOICES:
            self.join_combo.addItem(tr(label), value)
        self.conditions_model = ConditionTreeModel(parent=self)
        self.conditions_view = self._tree()
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("query_summary")
        self.summary_label.setWordWrap(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count_label")
        self.sql_link = QLabel(f'<a href="sql">{tr("Generated SQL query…")}</a>', self)
        self.sql_link.setObjectName("sql_link")
        self.sql_link.linkActivated.connect(lambda _link: self.show_sql())
        self.sql_dialog: QDialog | None = None
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Keep recipients matching:"), self))
        top.addWidget(self.join_combo)
        top.addStretch(1)
        side = QVBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in (
                ("add_condition_button", tr("Add a condition"), lambda: self.add_condition(self.new_condition())),
                ("add_group_button", tr("Add a group"), self.add_group),
                ("delete_button", tr("Delete"), self.remove_current),
                ("up_button", tr("Up"), lambda: self._structure(lambda i: self.conditions_model.move(i, -1))),
                ("down_button", tr("Down"), lambda: self._structure(lambda i: self.conditions_model.move(i, 1))),
                ("indent_button", tr("Indent →"), lambda: self._structure(self.conditions_model.indent)),
                ("outdent_button", tr("← Outdent"), lambda: self._structure(self.conditions_model.outdent))):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, act=slot: act())
            side.addWidget(button)
            self.buttons[name] = button
        side.addStretch(1)
        grid = QHBoxLayout()
        grid.addWidget(self.conditions_view, 1)
        grid.addLayout(side)
        self.layout_.addLayout(top)
        self.layout_.addLayout(grid, 1)
        self.layout_.addWidget(self.summary_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.sql_link)
        self.layout_.addLayout(bottom)
        self.finish_layout()
        self.count_timer = QTimer(self)
        self.count_timer.setSingleShot(True)
        self.count_timer.setInterval(COUNT_DELAY_MS)
        self.count_timer.timeout.connect(self.recount)
        self.join_combo.currentIndexChanged.connect(self._join)
        self.conditions_model.changed.connect(self.edited)
        self.conditions_view.selectionModel().currentChanged.connect(self._enable_buttons)
        for signal in (self.conditions_model.modelReset, self.conditions_model.rowsMoved,
                       self.conditions_model.rowsInserted, self.conditions_model.rowsRemoved):
            signal.connect(self._enable_buttons)
        self._enable_buttons()
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.conditions_view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_current)
        self.counting = False

    def _tree(self) -> QTreeView:
        view = QTreeView(self)
        view.setObjectName("conditions_view")
        view.setModel(self.conditions_model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.SelectedClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        view.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        view.setItemDelegateForColumn(0, ComboDelegate(FIELD_CHOICES, self))
        model = self.conditions_model
        view.setItemDelegateForColumn(1, ComboDelegate(
            lambda index: GROUP_CHOICES if model.is_group(index) else OPERATOR_CHOICES, self))
        return view

    # --- the draft's filter ------------------------------------------------------------------

    def _root(self) -> Condition:
        """The top group (a lone condition from a template or the CLI is wrapped in an AND group)."""
        s = self.settings
        if s.filter is None or s.filter.op not in ("and", "or"):
            s.filter = Condition("and", [s.filter] if s.filter is not None else [])
        return s.filter

    def _attach(self) -> None:
        """Point the model at the draft's tree (when the page was never shown, or the draft changed)."""
        if self.conditions_model.root is not self._root():
            self.conditions_model.reset_to(self._root())
            self.conditions_view.expandAll()

    def load(self) -> None:
        root = self._root()
        self.join_combo.setCurrentIndex(max(0, self.join_combo.findData(root.op)))
        self.conditions_model.reset_to(root)
        self.conditions_view.expandAll()
        self.schedule_count()

    @staticmethod
    def new_condition() -> Condition:
        return Condition(op="equals", field="email", value="")

    def current_index(self) -> QModelIndex:
        return self.conditions_view.currentIndex()

    def add_condition(self, condition: Condition, group: QModelIndex | None = None) -> QModelIndex:
        """Add ``condition`` to ``group`` (default: the selected group, or the selected condition's)."""
        self._attach()
        model = self.conditions_model
        target = model.group_for(self.current_index()) if group is None else group
        index = model.append(condition, target)
        self._select(index)
        return index

    def add_group(self, group: QModelIndex | None = None) -> QModelIndex:
        """A new sub-group (selected, so the next *Add a condition* goes into it)."""
        self._attach()
        model = self.conditions_model
        target = model.group_for(self.current_index()) if group is None else group
        index = model.new_group(target)
        self._select(index)
        return index

    def remove_current(self) -> None:
        index = self.current_index()
        if index.isValid():
            parent = QPersistentModelIndex(index.parent())
            row = index.row()
            self.conditions_model.remove(index)
            model = self.conditions_model
            n = model.rowCount(QModelIndex(parent))
            self._select(model.index(min(row, n - 1), 0, QModelIndex(parent)) if n else QModelIndex(parent))

    def _structure(self, action) -> None:  # type: ignore[no-untyped-def]
        index = self.current_index()
        if index.isValid():
            self._select(action(index))

    def _select(self, index: QModelIndex) -> None:
        view = self.conditions_view
        if index.isValid():
            view.expand(index.parent())
            view.expand(index.siblingAtColumn(0))
            view.setCurrentIndex(index.siblingAtColumn(0))
        else:
            view.clearSelection()
            view.setCurrentIndex(QModelIndex())

    def _enable_buttons(self, *_args: object) -> None:
        """Delete, Up, Down, Indent, Outdent apply to the selected row, as far as it can go."""
        index = self.current_index()
        row, siblings = index.row(), self.conditions_model.rowCount(index.parent())
        for name, on in (("delete_button", index.isValid()), ("up_button", index.isValid() and row > 0),
                         ("down_button", index.isValid() and row < siblings - 1),
                         ("indent_button", index.isValid()), ("outdent_button", index.parent().isValid())):
            self.buttons[name].setEnabled(on)

    def _join(self) -> None:
        if not self._loading:
            self._root().op = self.join_combo.currentData()
            self.edited()

    # --- checking and counting -----------------------------------------------------------------

    def edited(self) -> None:
        super().edited()
        self.schedule_count()

    def refresh_problems(self) -> None:
        super().refresh_problems()
        self.summary_label.setText(tr("Query: {summary}").format(summary=describe_condition(self.settings.filter))
                                   if self.attached() else "")

    def schedule_count(self) -> None:
        self.count_label.setText(tr("Counting…"))
        self.counting = True
        self.count_timer.start()

    def recount(self) -> None:
        if not self.attached() or self.problems():
            self.counting = False
            self.count_label.setText("")
            return
        w = self.export_wizard
        engine, settings = w.service.engine, self.draft.copy().export_settings
        w.runner.run(lambda: count_matching(engine, settings), on_done=self._counted, on_error=self._count_failed,
                     owner=self)

    def _counted(self, n: int) -> None:
        self.counting = self.count_timer.isActive()
        self.count_label.setText(tr("{n:,} recipient(s) match.").format(n=n))

    def _count_failed(self, exc: Exception) -> None:
        self.counting = False
        self.count_label.setText(error_text(exc))

    def show_sql(self) -> None:
        """Generated SQL query…: the statement the export runs, read by a worker, shown read-only."""
        if self.problems():
            return
        w = self.export_wizard
        engine, settings = w.service.engine, self.draft.copy().export_settings
        assert settings is not None

        def read() -> str:
            with engine.connect() as conn:
                return sql_text(plan_export(conn, settings).statement, conn)

        w.runner.run(read, on_done=self._sql_read, on_error=self._count_failed, owner=self)

    def _sql_read(self, sql: str) -> None:
        dialog = QDialog(self)
        dialog.setObjectName("sql_dialog")
        dialog.setWindowTitle(tr("Generated SQL query"))
        text = QPlainTextEdit(sql, dialog)
        text.setObjectName("sql_text")
        text.setReadOnly(True)
        text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        layout.addWidget(buttons)
        dialog.resize(640, 360)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.sql_dialog = dialog
        dialog.open()

    def problems(self) -> list[str]:
        return condition_problems(self.settings.filter)
