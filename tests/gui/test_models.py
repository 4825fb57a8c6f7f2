"""Every item model of the explorer passes Qt's model tester, on real data from a real database."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from campaign_desktop.domain.explorer import NodeKind, TemplateItem, build_explorer_tree
from campaign_desktop.gui.models.browse_models import jobs_model, lists_model, services_model
from campaign_desktop.gui.models.explorer_model import KEY_ROLE, NODE_ROLE, ExplorerModel
from campaign_desktop.gui.models.item_table import ITEM_ROLE, SORT_ROLE
from campaign_desktop.gui.models.proxy import ListProxyModel
from campaign_desktop.gui.models.recipients_model import RecipientsModel
from campaign_desktop.gui.models.templates_model import TemplatesModel
from tests.gui.helpers import add_finished_job, add_list, add_recipients, add_service


def tree_labels(model: ExplorerModel, parent: QModelIndex | None = None, depth: int = 0) -> list[str]:
    parent = parent or QModelIndex()
    lines = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        lines.append("  " * depth + index.data())
        lines.extend(tree_labels(model, index, depth + 1))
    return lines


def test_explorer_model_mirrors_campaigns_tree(qtmodeltester):
    model = ExplorerModel()
    qtmodeltester.check(model)
    assert tree_labels(model) == [
        "Home",
        "Profiles and Targets",
        "  Recipients",
        "  Lists",
        "  Services and Subscriptions",
        "  Jobs",
        "    Generic imports and exports",
        "Resources",
        "  Templates",
        "    Job templates",
    ]


def test_explorer_model_finds_nodes_by_key_and_gives_them_icons_and_paths():
    model = ExplorerModel()
    index = model.index_of("resources/templates/job_templates")
    assert index.data() == "Job templates"
    assert index.data(KEY_ROLE) == "resources/templates/job_templates"
    assert index.data(NODE_ROLE).kind is NodeKind.JOB_TEMPLATES
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Resources > Templates > Job templates"
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert model.parent(index).data() == "Templates"
    assert not model.index_of("no/such/node").isValid()
    assert model.index_of("profiles/jobs/generic").parent().parent().data() == "Profiles and Targets"


def test_every_node_that_shows_a_list_has_one(qapp, gui_app):
    from campaign_desktop.gui.explorer.main_window import MainWindow

    window = MainWindow(gui_app)
    try:
        listed = {n.kind for n in build_explorer_tree().walk() if n.kind.shows_list}
        assert listed == set(window._lists)
    finally:
        window.deleteLater()


def test_templates_model(qtmodeltester, gui_service):
    model = TemplatesModel()
    qtmodeltester.check(model)
    model.set_items([TemplateItem(t) for t in gui_service.templates.list()])
    assert model.rowCount() == 4 and model.total == 4
    label = model.index(0, 0)
    assert isinstance(label.data(ITEM_ROLE), TemplateItem)
    assert not label.flags() & Qt.ItemFlag.ItemIsEditable  # a built-in is not renamed in place

    gui_service.duplicate_template("newImport", label="Weekly prospects")
    model.set_items([TemplateItem(t) for t in gui_service.templates.list()])
    row = model.row_of(gui_service.templates.get("Weekly prospects").id)
    assert model.index(row, 0).flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.index(row, 1).flags() & Qt.ItemFlag.ItemIsEditable


def test_templates_model_sorts_through_the_proxy_on_every_column(qtmodeltester, gui_service):
    gui_service.duplicate_template("newImport", label="another template")
    model = TemplatesModel()
    model.set_items([TemplateItem(t) for t in gui_service.templates.list()])
    proxy = ListProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    for column in range(proxy.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            proxy.sort(column, order)
            keys = [proxy.index(r, column).data(SORT_ROLE) for r in range(proxy.rowCount())]
            assert keys == sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, 0).data() == "another template"  # case-insensitive, like a marketer reads


def test_lists_and_services_models_count_members_and_subscribers(qtmodeltester, gui_service):
    add_recipients(gui_service, 10)
    add_list(gui_service, "Newsletter readers", [1, 2, 3])
    add_list(gui_service, "Empty list", [])
    add_service(gui_service, "Weekly newsletter", [1, 2, 3, 4, 5])
    browse = gui_service.browse()

    lists = lists_model()
    qtmodeltester.check(lists)
    lists.set_items(browse.lists())
    assert [(lists.index(r, 0).data(), lists.index(r, 1).data()) for r in range(2)] == [
        ("Empty list", "0"), ("Newsletter readers", "3")]
    assert lists.headerData(1, Qt.Orientation.Horizontal) == "Members"

    services = services_model()
    qtmodeltester.check(services)
    services.set_items(browse.services())
    assert services.index(0, 0).data() == "Weekly newsletter"
    assert services.index(0, 1).data() == "5"


def test_jobs_model_shows_status_type_and_duration(qtmodeltester, gui_service):
    add_finished_job(gui_service, "Prospects May", seconds=77)
    model = jobs_model()
    qtmodeltester.check(model)
    model.set_items(gui_service.browse().jobs())
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Status", "Label", "Start date", "End date", "Job type", "Duration"]
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[0] == "Finished" and row[1] == "Prospects May" and row[4] == "Import" and row[5] == "1m 17s"
    assert not model.index(0, 0).data(Qt.ItemDataRole.DecorationRole).isNull()
    assert model.index(0, 5).data(SORT_ROLE) == 77.0


def test_recipients_model_pages_200_at_a_time(qtbot, qtmodeltester, gui_app):
    add_recipients(gui_app.service, 450)
    model = RecipientsModel(gui_app.service.browse, gui_app.runner)
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())

    with qtbot.waitSignal(model.total_changed) as total:
        model.reload()
    assert total.args == [450]
    qtbot.waitUntil(lambda: model.rowCount() == 200)
    assert model.index(0, 0).data() == "person0000@example.com"
    assert model.index(0, 5).data() == "Yes"  # every 7th recipient is denylisted
    assert model.index(1, 5).data() == "No"

    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert not model.canFetchMore(QModelIndex())  # one page at a time
    qtbot.waitUntil(lambda: model.rowCount() == 400)
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 450)
    assert not model.canFetchMore(QModelIndex())


def test_recipients_sort_in_the_database_not_in_the_loaded_page(qtbot, qtmodeltester, gui_app):
    add_recipients(gui_app.service, 450)
    model = RecipientsModel(gui_app.service.browse, gui_app.runner)
    proxy = ListProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)  # the tester asks for more pages on its own: count pages loosely
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() >= 200 and not model.loading)
    assert model.rowCount() < 450 or model.index(449, 0).data() == "person0449@example.com"

    proxy.sort(0, Qt.SortOrder.DescendingOrder)  # Email, as a click on the header does
    qtbot.waitUntil(lambda: model.rowCount() >= 200 and not model.loading)
    assert proxy.index(0, 0).data() == "person0449@example.com"
    assert proxy.index(1, 0).data() == "person0448@example.com"
    assert model.total == 450

    proxy.sort(5, Qt.SortOrder.DescendingOrder)  # Denylisted first
    qtbot.waitUntil(lambda: model.rowCount() >= 200 and not model.loading)
    assert proxy.index(0, 5).data() == "Yes"
    assert proxy.index(64, 5).data() == "Yes" and proxy.index(65, 5).data() == "No"  # 65 of 450 are
