"""The main window, laid out like Campaign's explorer: folders left, list top right, detail below."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain import explorer
from campaign_desktop.domain.explorer import ExplorerItem, ExplorerNode, JobItem, NodeKind, TemplateItem
from campaign_desktop.domain.template import JobKind
from campaign_desktop.gui.about import show_about
from campaign_desktop.gui.database_names import database_display, short_database_name
from campaign_desktop.gui.explorer.actions import ExplorerActions
from campaign_desktop.gui.explorer.audience import AudienceViews
from campaign_desktop.gui.explorer.folder_page import FolderPage
from campaign_desktop.gui.explorer.home_page import HomePage
from campaign_desktop.gui.explorer.launchers import LaunchersMixin
from campaign_desktop.gui.explorer.list_pane import ListPane
from campaign_desktop.gui.explorer.properties_pane import PropertiesPane
from campaign_desktop.gui.explorer.template_form import TemplateForm
from campaign_desktop.gui.explorer.template_ops import TemplateOperations
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.jobs.workspace import JobsWorkspace
from campaign_desktop.gui.models.browse_models import lists_model, services_model
from campaign_desktop.gui.models.explorer_model import NODE_ROLE, ExplorerModel
from campaign_desktop.gui.models.recipients_model import RecipientsModel
from campaign_desktop.gui.models.templates_model import TemplatesModel

if TYPE_CHECKING:
    from campaign_desktop.gui.app import CampaignApp


class MainWindow(QMainWindow, LaunchersMixin):
    job_started = Signal(int)  # a job started from a wizard: ``(job_id)``, for the job tracking view

    """Campaign Desktop's explorer window.

    Attributes:
        tree: the explorer tree (an :class:`ExplorerModel`).
        list_pane: the list of the selected folder, with its counter.
        form: the detail pane of a job template.
        actions: the actions of the menus, the toolbar and the context menu.
        ops: the background operations on templates.
    """

    def __init__(self, app: CampaignApp) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.app = app
        self.setWindowTitle(tr("Campaign Desktop — {database}").format(
            database=short_database_name(app.service.database_description)))
        self.actions = ExplorerActions(self)
        self.ops = TemplateOperations(app, self)
        self.ops.changed.connect(self._on_templates_changed)
        self.ops.created.connect(self._on_template_created)

        browse = app.service.browse
        self.jobs = JobsWorkspace(self)
        self.templates_model = TemplatesModel(self)
        self.templates_model.rename_requested.connect(self.ops.rename)
        self.recipients_model = RecipientsModel(browse, app.runner, self)
        self.recipients_model.failed.connect(lambda exc: app.show_error(self, exc))
        self._lists: dict[NodeKind, tuple[Any, Callable[[], Sequence[Any]] | None]] = {
            NodeKind.JOB_TEMPLATES: (self.templates_model, self._read_templates),
            NodeKind.RECIPIENTS: (self.recipients_model, None),
            NodeKind.LISTS: (lists_model(self), lambda: browse().lists()),
            NodeKind.SERVICES: (services_model(self), lambda: browse().services()),
            NodeKind.JOBS: (self.jobs.model, self.jobs.read_jobs),
        }
        self._node: ExplorerNode | None = None
        self._focus_label_of: object = None  # a new template's id: focus its label once shown
        self._pending_selection: object = None  # the item to select once the next list is read
        self._context_menu: QMenu | None = None
        self.import_wizard: Any = None  # the last import wizard opened (kept alive while its job runs)
        self.export_wizard: Any = None  # the last export wizard opened

        self._build_widgets()
        self.audience = AudienceViews(self)  # Recipients (+ folders), list operations, members views
        self._build_menus()
        self._connect()
        self.jobs.install()
        self._restore_settings()

    # --- construction ----------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.explorer_model = ExplorerModel(parent=self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("explorer_tree")
        self.tree.setModel(self.explorer_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)  # scroll rather than cut a long folder name
        self.tree.expandAll()

        self.home = HomePage(self)
        self.home.set_database(database_display(self.app.service.database_description))
        self.folder_page = FolderPage(self.explorer_model, self)
        self.list_pane = ListPane(self)
        self.form = TemplateForm(self)
        self.properties = PropertiesPane(self)
        self.placeholder = QLabel(tr("Select a line of the list to see its details here."), self)
        self.placeholder.setObjectName("detail_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)
        self.detail = QStackedWidget(self)
        self.detail.setObjectName("detail_pane")
        for widget in (self.placeholder, self.form, self.properties):
            self.detail.addWidget(widget)
        self.list_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.list_splitter.setObjectName("list_splitter")
        self.list_splitter.addWidget(self.list_pane)
        self.list_splitter.addWidget(self.detail)
        self.list_splitter.setChildrenCollapsible(False)

        self.pages = QStackedWidget(self)
        for widget in (self.home, self.folder_page, self.list_splitter):
            self.pages.addWidget(widget)
        self.node_icon = QLabel(self)
        self.node_title = QLabel(self)
        self.node_title.setObjectName("node_title")
        font = self.node_title.font()
        font.setBold(True)
        self.node_title.setFont(font)
        heading = QHBoxLayout()
        heading.setContentsMargins(8, 6, 8, 4)
        heading.addWidget(self.node_icon)
        heading.addWidget(self.node_title, 1)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(heading)
        column.addWidget(self.pages, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("explorer_splitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        # Never narrower than its labels ("Generic imports and exports"), whatever a previous session
        # saved: a window closed before it was ever laid out saves a sliver.
        deepest = self.tree.indentation() * 3 + self.tree.iconSize().width() + 40
        widest = self.tree.fontMetrics().horizontalAdvance(tr("Generic imports and exports"))
        self.tree.setMinimumWidth(deepest + widest)
        self.setCentralWidget(self.splitter)

        self.database_label = QLabel(tr("Database: {name}").format(
            name=database_display(self.app.service.database_description)))
        self.busy_label = QLabel(tr("Reading…"))
        self.busy_label.setObjectName("busy_label")
        self.busy_label.hide()
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.busy_label)

    def _build_menus(self) -> None:
        a = self.actions
        self.new_menu = QMenu(tr("&New"), self)
        self.new_menu.setObjectName("new_menu")
        self.new_menu.setIcon(icon("new"))
        self.new_menu.addActions([a.new_import, a.new_export, a.new_import_template, a.new_export_template])
        self.new_menu.addAction(self.audience.new_list)
        file_menu = self.menuBar().addMenu(tr("&File"))
        file_menu.addMenu(self.new_menu)
        file_menu.addSeparator()
        file_menu.addAction(a.database_connection)
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        edit_menu = self.menuBar().addMenu(tr("&Edit"))
        edit_menu.setToolTipsVisible(True)
        edit_menu.addActions([a.duplicate, a.rename, a.delete])
        edit_menu.addSeparator()
        edit_menu.addAction(a.start)
        self.menuBar().addMenu(tr("&View")).addAction(a.refresh)
        self.menuBar().addMenu(tr("&Help")).addAction(a.about)

        toolbar = self.addToolBar(tr("Actions"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_button = QToolButton(self)
        self.new_button.setObjectName("new_button")
        self.new_button.setDefaultAction(self.new_menu.menuAction())
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_button.setToolTip(tr("Create an import or an export template"))
        toolbar.addWidget(self.new_button)
        toolbar.addSeparator()
        toolbar.addActions([a.duplicate, a.rename, a.delete, a.start])
        toolbar.addSeparator()
        toolbar.addAction(a.refresh)

    def _connect(self) -> None:
        a = self.actions
        a.new_import_template.triggered.connect(lambda: self.ops.create(JobKind.IMPORT))
        a.new_export_template.triggered.connect(lambda: self.ops.create(JobKind.EXPORT))
        a.new_import.triggered.connect(lambda: self.open_import_wizard())
        a.new_export.triggered.connect(lambda: self.open_export_wizard())
        a.start.triggered.connect(self.start_selected)
        a.quit.triggered.connect(self.close)
        a.database_connection.triggered.connect(self.choose_database)
        a.duplicate.triggered.connect(self.duplicate_selected)
        a.rename.triggered.connect(self.rename_selected)
        a.delete.triggered.connect(self.delete_selected)
        a.refresh.triggered.connect(self.refresh)
        a.about.triggered.connect(lambda: show_about(self, self.app.service.database_description))
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.home.node_requested.connect(self.select_node)
        self.home.new_template_requested.connect(self.ops.create)
        self.folder_page.node_requested.connect(self.select_node)
        self.list_pane.current_item_changed.connect(self._on_item_changed)
        self.list_pane.context_menu_requested.connect(self._show_context_menu)
        self.form.save_requested.connect(self.ops.save)
        self.form.duplicate_requested.connect(self.duplicate_selected)
        self.app.runner.busy_changed.connect(self.busy_label.setVisible)

    # --- navigation --------------------------------------------------------------------------

    @property
    def current_node(self) -> ExplorerNode | None:
        return self._node

    def select_node(self, key: str) -> None:
        """Select the explorer node ``key`` (Home when it does not exist)."""
        index = self.explorer_model.index_of(key)
        if not index.isValid():
            index = self.explorer_model.index_of(explorer.HOME)
        self.tree.setCurrentIndex(index)

    def _on_tree_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        node = current.data(NODE_ROLE)
        if isinstance(node, ExplorerNode):
            self._show_node(node)

    def _show_node(self, node: ExplorerNode, select_key: object = None) -> None:
        self._node = node
        self.node_icon.setPixmap(icon(node.icon).pixmap(16, 16))
        self.node_title.setText(" › ".join(tr(n.label) for n in node.path))
        if node.kind is NodeKind.HOME:
            self.pages.setCurrentWidget(self.home)
            self._on_item_changed(None)
            self.app.runner.run(self.app.service.browse().count_recipients,
                                on_done=self.home.set_recipient_count, owner=self)
        elif node.kind is NodeKind.FOLDER:
            self.folder_page.show_folder(self.explorer_model.index_of(node.key))
            self.pages.setCurrentWidget(self.folder_page)
            self._on_item_changed(None)
        elif self.audience.show_node(node):  # Recipients and its folders: the recipients page
            self._on_item_changed(None)
        else:
            self.pages.setCurrentWidget(self.list_splitter)
            self.list_pane.set_model(self._lists[node.kind][0])
            self._on_item_changed(self.list_pane.current_item())  # back to a list: its selection's detail
            self.load_list(select_key if select_key is not None else self._pop_pending_selection())

    def load_list(self, select_key: object = None) -> None:
        """Read the shown list again, keeping the selection (or moving it to ``select_key``)."""
        node = self._node
        if node is None or not node.kind.shows_list:
            return
        if select_key is None:
            current = self.list_pane.current_item()
            select_key = current.key if current is not None else None
        model, read = self._lists[node.kind]
        if read is None:  # paged: rows arrive page by page
            model.reload()
            if select_key is not None:
                self.list_pane.select_key(select_key, when_loaded=True)
            return

        def show(items: Sequence[Any]) -> None:
            model.set_items(items)
            if select_key is not None and self.list_pane.source is model:
                self.list_pane.select_key(select_key, when_loaded=False)

        self.app.runner.run(read, on_done=show, owner=self)

    def _read_templates(self) -> list[TemplateItem]:
        return [TemplateItem(t) for t in self.app.service.templates.list()]

    def refresh(self) -> None:
        if self._node is not None:
            self._show_node(self._node)

    # --- the selected item -----------------------------------------------------------------

    def selected_item(self) -> ExplorerItem | None:
        return self.list_pane.current_item()

    def _on_item_changed(self, item: ExplorerItem | None) -> None:
        self._offer_to_save(item)
        self.actions.update_for(item)
        if isinstance(item, TemplateItem):
            self.form.show_template(item.template)
            self.detail.setCurrentWidget(self.form)
            if self._focus_label_of is not None and item.key == self._focus_label_of:
                self._focus_label_of = None
                self.form.focus_label()
        elif isinstance(item, JobItem):
            self.jobs.show_job(item)
            self.detail.setCurrentWidget(self.jobs.editor)
        elif item is not None:
            self.properties.show_item(item)
            self.detail.setCurrentWidget(self.properties)
        else:
            self.detail.setCurrentWidget(self.placeholder)

    def _offer_to_save(self, next_item: ExplorerItem | None) -> None:
        """The form holds unsaved changes and another item (or none) is about to replace it."""
        shown = self.form.template
        if shown is None or not self.form.is_dirty():
            return
        if isinstance(next_item, TemplateItem) and next_item.key == shown.id:
            return
        answer = QMessageBox.question(
            self, tr("Unsaved changes"),
            tr("Save the changes made to the template “{label}”?").format(label=shown.label),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Save)
        edited = self.form.edited_template()
        self.form.template = None  # answered: don't ask again for this form
        if answer == QMessageBox.StandardButton.Save and edited is not None and edited.label:
            self.ops.save(edited, select=False)

    def duplicate_selected(self) -> None:
        item = self.selected_item()
        if isinstance(item, TemplateItem) and item.can_duplicate:
            self.ops.duplicate(item)

    def rename_selected(self) -> None:
        item = self.selected_item()
        if isinstance(item, TemplateItem):
            if item.can_rename:
                self.list_pane.edit_current_label()
            else:
                self.ops.rename(item, item.label)  # the repository explains why it cannot
        elif self.audience.handles(item):
            self.audience.rename(item)

    def delete_selected(self) -> None:
        item = self.selected_item()
        if isinstance(item, TemplateItem):
            self.ops.delete(item)
        elif self.audience.handles(item):
            self.audience.delete(item)

    def _show_context_menu(self, global_pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("list_context_menu")
        menu.setToolTipsVisible(True)
        if isinstance(self.selected_item(), JobItem):
            menu.addActions(self.jobs.row_actions())
        else:
            menu.addActions([self.actions.duplicate, self.actions.rename, self.actions.delete])
            menu.addSeparator()
            menu.addAction(self.actions.start)
            self.audience.extend_menu(menu, self.selected_item())
        menu.aboutToHide.connect(menu.deleteLater)
        self._context_menu = menu
        menu.popup(global_pos)

    # --- operations' outcomes ----------------------------------------------------------------

    def _on_templates_changed(self, key: object) -> None:
        if self._node is not None and self._node.kind is NodeKind.JOB_TEMPLATES:
            self.load_list(key)

    def _on_template_created(self, template_id: int) -> None:
        """Show the new template's form, ready to type its label (File > New)."""
        self._focus_label_of = template_id
        if self._node is not None and self._node.kind is NodeKind.JOB_TEMPLATES:
            self.load_list(template_id)
        else:
            self._pending_selection = template_id
            self.select_node(explorer.JOB_TEMPLATES)

    def _pop_pending_selection(self) -> object:
        key, self._pending_selection = self._pending_selection, None
        return key

    # --- settings ----------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = self.app.settings
        if not s.window_geometry.isEmpty():
            self.restoreGeometry(s.window_geometry)
        else:
            self.resize(1200, 760)
        if not s.window_state.isEmpty():
            self.restoreState(s.window_state)
        self.splitter.setSizes(s.explorer_splitter)
        self.list_splitter.setSizes(s.list_splitter)
        self.select_node(s.last_node)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.jobs.confirm_quit():
            event.ignore()
            return
        self._offer_to_save(None)
        s = self.app.settings
        s.window_geometry = self.saveGeometry()
        s.window_state = self.saveState()
        s.explorer_splitter = self.splitter.sizes()
        s.list_splitter = self.list_splitter.sizes()
        if self._node is not None:
            s.last_node = self._node.key
        s.sync()
        super().closeEvent(event)

