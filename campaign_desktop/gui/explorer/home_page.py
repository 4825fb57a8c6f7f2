"""The home page: where a marketer starts (Campaign's Home > Profiles and targets, Supervision)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from campaign_desktop.domain import explorer
from campaign_desktop.domain.template import JobKind
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.models.item_table import format_count


def _link(href: str, text: str) -> str:
    return f"<a href='{href}' style='text-decoration:none'>{html.escape(text)}</a>"


class HomePage(QWidget):
    """Links to the explorer's lists and to creating an import or an export.

    Signals:
        node_requested: ``(str)`` the key of the explorer node a link points to.
        new_template_requested: ``(JobKind)`` the Import or Export link was clicked.
    """

    node_requested = Signal(str)
    new_template_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("home_page")
        title = QLabel(tr("Campaign Desktop"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(tr("Generic imports and exports of recipient profiles"), self)
        self.database = QLabel(self)
        self.database.setObjectName("home_database")
        self.database.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.recipients_link = self._links("")
        self.recipients_link.setObjectName("home_recipients")
        self.set_recipient_count(None)
        profiles = self._box(tr("Profiles and targets"), "recipients", [
            self.recipients_link,
            self._links(_link(explorer.LISTS, tr("Lists"))),
            self._links(_link(explorer.SERVICES, tr("Services and Subscriptions"))),
        ])
        create = self._links(tr("New template:") + " " + _link("new:import", tr("Import template")) + " · "
                             + _link("new:export", tr("Export template")))
        create.setObjectName("home_create")
        create.setToolTip(tr("Create an import or export template to reuse; to run an import or an export now, "
                             "use the Supervision box"))
        supervision = self._box(tr("Jobs and Supervision"), "job", [
            create,
            self._links(_link(explorer.JOBS, tr("Generic imports and exports"))),
            self._links(_link(explorer.JOB_TEMPLATES, tr("Job templates"))),
        ])

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.addWidget(profiles, 0, 0)
        grid.addWidget(supervision, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addWidget(self.database)
        layout.addSpacing(14)
        layout.addLayout(grid)
        layout.addStretch(1)

    def add_section(self, widget: QWidget) -> None:
        """Add a section under the boxes (the jobs cards and Supervision come from gui.jobs)."""
        layout = self.layout()
        layout.insertWidget(layout.count() - 1, widget)

    def _links(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.linkActivated.connect(self._on_link)
        return label

    def _box(self, title: str, icon_name: str, rows: list[QLabel]) -> QFrame:
        box = QFrame(self)
        box.setObjectName("home_box")
        box.setStyleSheet("#home_box { background: palette(base); border: 1px solid palette(mid);"
                          " border-radius: 4px; }")
        header = QLabel(f"<img src=':/icons/{icon_name}.svg' width='16' height='16'>&nbsp; "
                        f"<b>{html.escape(title)}</b>", box)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        layout.addWidget(header)
        for row in rows:
            row.setParent(box)
            row.setContentsMargins(22, 0, 0, 0)
            layout.addWidget(row)
        layout.addStretch(1)
        return box

    def set_database(self, description: str) -> None:
        self.database.setText(tr("Database: {name}").format(name=description))

    def set_recipient_count(self, count: int | None) -> None:
        text = _link(explorer.RECIPIENTS, tr("Recipients"))
        if count is not None:
            text += " " + html.escape(tr("({count} in the database)").format(count=format_count(count)))
        self.recipients_link.setText(text)

    def _on_link(self, href: str) -> None:
        if href == "new:import":
            self.new_template_requested.emit(JobKind.IMPORT)
        elif href == "new:export":
            self.new_template_requested.emit(JobKind.EXPORT)
        else:
            self.node_requested.emit(href)
