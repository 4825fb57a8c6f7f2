"""The Recipients view: the paged table with its quick search, column choice and right-click actions.

The same page shows every recipient, a folder's, a list's members or a service's
subscribers: only the :class:`RecipientFilter` changes. Every read and write runs in the
background (the table stays live while a million rows are counted or 3,000 are deleted);
the page reloads when a write is done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.explorer import ListItem, RecipientItem, ServiceItem
from campaign_desktop.gui.explorer.list_pane import ListPane
from campaign_desktop.gui.explorer.recipient_actions import RecipientActionsMixin, RecipientSelection, export_wizard
from campaign_desktop.gui.explorer.recipient_form import RecipientForm
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.models.item_table import ITEM_ROLE
from campaign_desktop.gui.models.recipients_model import RECIPIENT_COLUMNS, RecipientsModel
from campaign_desktop.storage.recipient_query import RecipientFilter, SearchField

if TYPE_CHECKING:
    from campaign_desktop.gui.app import CampaignApp

SEARCH_DELAY_MS = 250
"""Typing pauses this long before the search runs (one query per word, not per key)."""

__all__ = ["RecipientSelection", "RecipientsPage", "export_wizard"]

SEARCH_FIELDS = [(SearchField.ANY, "Email, last name or account"), (SearchField.EMAIL, "Email"),
                 (SearchField.NAME, "Last name"), (SearchField.ACCOUNT, "Account #")]

class RecipientsPage(QWidget, RecipientActionsMixin):
    """A recipients table over a filter, with search, columns and the selection's actions.

    Signals:
        export_requested: ``(RecipientSelection)`` *Export…* was chosen.
        back_requested: the Back button of a list's or a service's members was clicked.
        changed: recipients, lists or subscriptions were written (other views may re-read).
        folder_created: ``(int)`` a sub-folder was created (the explorer tree adds it).
        notice: ``(str)`` what the last action did ("3 recipients added to “VIP”").
    """

    export_requested = Signal(object)
    back_requested = Signal()
    changed = Signal()
    folder_created = Signal(int)
    notice = Signal(str)

    def __init__(self, app: CampaignApp, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recipients_page")
        self.app = app
        self.model = RecipientsModel(app.service.browse, app.runner, self)
        self.model.failed.connect(lambda exc: app.show_error(self, exc))
        self._base = RecipientFilter()  # the folder / list / service part of the filter
        self._folder_id: int | None = None
        self._context_menu: QMenu | None = None
        self.form: RecipientForm | None = None
        self.confirm_box: QMessageBox | None = None
        self.list_dialog: QInputDialog | None = None
        self._build()
        self._restore_columns()

    # --- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.back_button = QToolButton(self)
        self.back_button.setObjectName("back_button")
        self.back_button.setText(tr("‹ Back"))
        self.back_button.clicked.connect(self.back_requested)
        self.back_button.hide()
        self.caption = QLabel(self)
        self.caption.setObjectName("members_caption")
        self.caption.hide()
        self.search_field = QComboBox(self)
        self.search_field.setObjectName("search_field")
        for value, label in SEARCH_FIELDS:
            self.search_field.addItem(tr(label), value.value)
        self.search_field.setCurrentIndex(max(0, self.search_field.findData(self.app.settings.recipient_search_field)))
        self.search = QLineEdit(self)
        self.search.setObjectName("recipient_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(tr("Search: the start of an email, a last name or an account number"))
        self.search.setMinimumWidth(320)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_search)
        self.search_field.currentIndexChanged.connect(self._on_search_field_changed)
        self.new_folder_button = QToolButton(self)
        self.new_folder_button.setObjectName("new_folder_button")
        self.new_folder_button.setText(tr("New folder…"))
        self.new_folder_button.setIcon(icon("folder"))
        self.new_folder_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_folder_button.setToolTip(tr("Create a sub-folder of the folder shown"))
        self.new_folder_button.clicked.connect(self._ask_folder_label)
        self.columns_menu = QMenu(tr("Columns"), self)
        self.columns_menu.setObjectName("columns_menu")
        self.column_actions: dict[str, QAction] = {}
        for n, (column, key) in enumerate(RECIPIENT_COLUMNS):
            action = self.columns_menu.addAction(tr(column.title))
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda on, c=n: self.set_column_visible(c, on))
            self.column_actions[key] = action
        self.columns_button = QToolButton(self)
        self.columns_button.setObjectName("columns_button")
        self.columns_button.setText(tr("Columns"))
        self.columns_button.setMenu(self.columns_menu)
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.status = QLabel(self)
        self.status.setObjectName("recipients_notice")
        self.notice.connect(self.status.setText)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.back_button)
        bar.addWidget(self.caption)
        bar.addWidget(self.search_field)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.new_folder_button)
        bar.addWidget(self.columns_button)

        self.pane = ListPane(self)
        view = self.pane.view
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.doubleClicked.connect(self._on_double_click)
        header = view.horizontalHeader()
        # Fitting the columns measures cells: do it on the first page's first 50 rows, once, not on
        # every search or sort (200 rows x 8 columns cost ~150 ms of a 300 ms budget).
        header.setResizeContentsPrecision(50)
        self.pane.refit_on_reset = False
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.columns_menu.popup(header.mapToGlobal(pos)))
        self.pane.context_menu_requested.connect(self._show_context_menu)
        self.pane.set_model(self.model)
        self.pane.layout().itemAt(1).layout().insertWidget(0, self.status, 1)  # left of the counter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.pane, 1)

    # --- what is shown ---------------------------------------------------------------------

    def show_folder(self, folder_id: int | None) -> None:
        """Every recipient (``None``) or those of a folder and its sub-folders."""
        self._folder_id = folder_id
        self._set_members_caption(None)
        if folder_id is None:
            self._apply_base(RecipientFilter())
            return
        browse = self.app.service.browse()
        self.app.runner.run(lambda: browse.folder_subtree(folder_id),
                            on_done=lambda ids: self._apply_base(RecipientFilter(folder_ids=ids)), owner=self)

    def show_members(self, item: ListItem | ServiceItem) -> None:
        """A list's members or a service's subscribers, with a Back button to the lists."""
        self._folder_id = None
        if isinstance(item, ListItem):
            self._set_members_caption(tr("Members of the list “{label}”").format(label=item.label))
            self._apply_base(RecipientFilter(list_id=item.id))
        else:
            self._set_members_caption(tr("Subscribers of “{label}”").format(label=item.label))
            self._apply_base(RecipientFilter(service_id=item.id))

    def _set_members_caption(self, text: str | None) -> None:
        self.back_button.setVisible(text is not None)
        self.caption.setVisible(text is not None)
        self.caption.setText(text or "")
        self.new_folder_button.setVisible(text is None)

    def _apply_base(self, base: RecipientFilter) -> None:
        """Show another set of recipients; a search typed for the previous one no longer applies."""
        if base != self._base:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
        self._base = base
        self.apply_search(force=True)

    def current_filter(self) -> RecipientFilter:
        field = SearchField(self.search_field.currentData())
        return RecipientFilter(self.search.text().strip(), field, self._base.folder_ids, self._base.list_id,
                               self._base.service_id)

    def apply_search(self, force: bool = False) -> None:
        """Run the quick search now (Enter, or the pause after typing)."""
        self._search_timer.stop()
        flt = self.current_filter()
        if force or flt != self.model.filter:
            if flt == self.model.filter:
                self.model.reload()
            else:
                self.model.set_filter(flt)

    def reload(self) -> None:
        self.model.reload()

    def _on_search_field_changed(self) -> None:
        self.app.settings.recipient_search_field = str(self.search_field.currentData())
        self.apply_search()

    # --- columns ---------------------------------------------------------------------------

    def set_column_visible(self, column: int, visible: bool) -> None:
        header = self.pane.view.horizontalHeader()
        if visible == (not header.isSectionHidden(column)):
            return
        if not visible and header.count() - header.hiddenSectionCount() <= 1:
            self.column_actions[RECIPIENT_COLUMNS[column][1]].setChecked(True)  # keep one column
            return
        header.setSectionHidden(column, not visible)
        self.app.settings.recipient_hidden_columns = [
            key for n, (_, key) in enumerate(RECIPIENT_COLUMNS) if header.isSectionHidden(n)]

    def _restore_columns(self) -> None:
        hidden = set(self.app.settings.recipient_hidden_columns)
        for key, action in self.column_actions.items():
            action.setChecked(key not in hidden)

    # --- the selection -----------------------------------------------------------------------

    def selected_items(self) -> list[RecipientItem]:
        rows = self.pane.view.selectionModel().selectedRows()
        items = [index.data(ITEM_ROLE) for index in sorted(rows, key=QModelIndex.row)]
        return [it for it in items if isinstance(it, RecipientItem)]

    def selected_ids(self) -> list[int]:
        return [it.id for it in self.selected_items()]

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows (tests; a future "select all loaded")."""
        view = self.pane.view
        view.clearSelection()
        for row in rows:
            view.selectionModel().select(self.pane.proxy.index(row, 0),
                                         view.selectionModel().SelectionFlag.Select
                                         | view.selectionModel().SelectionFlag.Rows)

    def _on_double_click(self, index: QModelIndex) -> None:
        item = index.siblingAtColumn(0).data(ITEM_ROLE)
        if isinstance(item, RecipientItem):
            self.open_form(item.id)

    def open_form(self, recipient_id: int) -> RecipientForm:
        """The recipient's form, window-modal; a save reloads the table."""
        form = RecipientForm(self.app, recipient_id, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(lambda _: self.model.reload(count=False))
        form.saved.connect(lambda _: self.changed.emit())
        self.form = form
        form.open()
        return form

    def _ask_folder_label(self) -> None:
        label, ok = QInputDialog.getText(self, tr("New folder"), tr("Label of the new sub-folder:"))
        if ok and label.strip():
            self.create_folder(label)

    def create_folder(self, label: str) -> None:
        repo, parent = self.app.service.recipients, self._folder_id
        self._write(lambda: repo.create_folder(label, parent), self.folder_created.emit)
