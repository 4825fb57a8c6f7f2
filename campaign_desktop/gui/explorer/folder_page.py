"""What a grouping folder (Profiles and Targets, Jobs, Resources...) shows: its sub-folders."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Signal
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.models.explorer_model import KEY_ROLE, ExplorerModel


class FolderPage(QWidget):
    """The sub-folders of a folder as large icons; activating one selects it in the tree.

    Signals:
        node_requested: ``(str)`` the key of the sub-folder to open.
    """

    node_requested = Signal(str)

    def __init__(self, model: ExplorerModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("folder_page")
        hint = QLabel(tr("Open a folder: double-click it here, or select it in the explorer on the left."),
                      self)
        hint.setWordWrap(True)
        self.view = QListView(self)
        self.view.setObjectName("folder_view")
        self.view.setModel(model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(40, 40))
        self.view.setGridSize(QSize(170, 84))
        self.view.setWordWrap(True)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.activated.connect(self._on_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(hint)
        layout.addWidget(self.view, 1)

    def show_folder(self, index: QModelIndex) -> None:
        self.view.setRootIndex(index)

    def _on_activated(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key:
            self.node_requested.emit(str(key))
