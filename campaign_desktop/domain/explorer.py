"""The explorer as plain data: the folder tree on the left and the items its lists show.

Campaign's console is a tree of folders (Profiles and Targets > Recipients, Resources >
Templates > Job templates...) with a list of items for the selected folder. The tree and the
item types live here, without Qt, so the rules of what a user may do with an item (duplicate,
rename, delete, start) are decided in one place that the GUI's menus, toolbar and context
menus only ask, and that a test can check without a window.

Labels are English source strings; the GUI translates them when it shows them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import JobKind, JobTemplate


class NodeKind(StrEnum):
    """What selecting a node shows on the right."""

    HOME = "home"  # the home page
    FOLDER = "folder"  # a grouping folder: its sub-folders
    RECIPIENTS = "recipients"
    LISTS = "lists"
    SERVICES = "services"
    JOBS = "jobs"  # Generic imports and exports
    JOB_TEMPLATES = "job_templates"

    @property
    def shows_list(self) -> bool:
        return self not in (NodeKind.HOME, NodeKind.FOLDER)


@dataclass(eq=False)
class ExplorerNode:
    """A folder of the explorer tree.

    Attributes:
        key: a stable path ("profiles/jobs/generic"), used to remember and restore the selection.
        label: the English label, as Campaign shows it.
        kind: what the node shows when selected.
        icon: the name of its icon (``resources/icons/<icon>.svg``).
        children: sub-folders, in display order.
        parent: the folder above, None for top-level nodes and the invisible root.
    """

    key: str
    label: str
    kind: NodeKind = NodeKind.FOLDER
    icon: str = "folder"
    children: list[ExplorerNode] = field(default_factory=list)
    parent: ExplorerNode | None = field(default=None, repr=False)

    def add(self, child: ExplorerNode) -> ExplorerNode:
        child.parent = self
        self.children.append(child)
        return child

    @property
    def row(self) -> int:
        """The position of this node among its parent's children (0 for the root)."""
        return self.parent.children.index(self) if self.parent else 0

    def walk(self) -> Iterator[ExplorerNode]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, key: str) -> ExplorerNode | None:
        return next((n for n in self.walk() if n.key == key), None)

    def find_kind(self, kind: NodeKind) -> ExplorerNode | None:
        return next((n for n in self.walk() if n.kind is kind), None)

    @property
    def path(self) -> list[ExplorerNode]:
        """The nodes from the top level down to this one (the root excluded)."""
        nodes: list[ExplorerNode] = []
        node: ExplorerNode | None = self
        while node is not None and node.parent is not None:
            nodes.append(node)
            node = node.parent
        return list(reversed(nodes))


HOME = "home"
RECIPIENTS = "profiles/recipients"
LISTS = "profiles/lists"
SERVICES = "profiles/services"
JOBS = "profiles/jobs/generic"
JOB_TEMPLATES = "resources/templates/job_templates"
RECIPIENT_FOLDER_PREFIX = RECIPIENTS + "/folder/"
"""Keys of the recipient sub-folders shown under Recipients: ``profiles/recipients/folder/<id>``."""


def recipient_folder_node(folder_id: int, label: str) -> ExplorerNode:
    """A user's recipient folder under Recipients (it shows the recipients table, filtered)."""
    return ExplorerNode(f"{RECIPIENT_FOLDER_PREFIX}{folder_id}", label, NodeKind.RECIPIENTS, "folder")


def recipient_folder_id(key: str) -> int | None:
    """The folder id of a recipient sub-folder's key; None for Recipients itself (every recipient)."""
    if key.startswith(RECIPIENT_FOLDER_PREFIX):
        try:
            return int(key[len(RECIPIENT_FOLDER_PREFIX):])
        except ValueError:
            return None
    return None


def build_explorer_tree() -> ExplorerNode:
    """The invisible root of Campaign's tree, restricted to what this application does (spec §2.1)."""
    root = ExplorerNode("", "", NodeKind.FOLDER)
    root.add(ExplorerNode(HOME, "Home", NodeKind.HOME, "home"))
    profiles = root.add(ExplorerNode("profiles", "Profiles and Targets"))
    profiles.add(ExplorerNode(RECIPIENTS, "Recipients", NodeKind.RECIPIENTS, "recipients"))
    profiles.add(ExplorerNode(LISTS, "Lists", NodeKind.LISTS, "list"))
    profiles.add(ExplorerNode(SERVICES, "Services and Subscriptions", NodeKind.SERVICES, "service"))
    jobs = profiles.add(ExplorerNode("profiles/jobs", "Jobs"))
    jobs.add(ExplorerNode(JOBS, "Generic imports and exports", NodeKind.JOBS, "job"))
    resources = root.add(ExplorerNode("resources", "Resources"))
    templates = resources.add(ExplorerNode("resources/templates", "Templates"))
    templates.add(ExplorerNode(JOB_TEMPLATES, "Job templates", NodeKind.JOB_TEMPLATES, "template"))
    return root


# --- Items: the rows of the lists -------------------------------------------------------------


class ExplorerItem:
    """A row of an explorer list, and what a user may do with it.

    Every capability is False unless an item type says otherwise, so a new list is
    read-only until someone decides (here, not in a menu) what its items allow.
    """

    @property
    def key(self) -> object:
        """Identifies the item within its list across reloads (to keep or restore a selection)."""
        raise NotImplementedError

    @property
    def label(self) -> str:
        raise NotImplementedError

    @property
    def can_duplicate(self) -> bool:
        return False

    @property
    def can_rename(self) -> bool:
        return False

    @property
    def can_delete(self) -> bool:
        return False

    @property
    def can_start(self) -> bool:
        return False


@dataclass
class TemplateItem(ExplorerItem):
    """A job template. Built-ins may be duplicated and started from, never renamed or deleted."""

    template: JobTemplate

    @property
    def key(self) -> object:
        return self.template.id

    @property
    def label(self) -> str:
        return self.template.label

    @property
    def builtin(self) -> bool:
        return self.template.read_only

    @property
    def can_duplicate(self) -> bool:
        return True

    @property
    def can_rename(self) -> bool:
        return not self.template.read_only

    @property
    def can_delete(self) -> bool:
        return not self.template.read_only

    @property
    def can_start(self) -> bool:
        return True  # a job can start from any template, built-ins included (spec §4.1)


@dataclass
class RecipientItem(ExplorerItem):
    id: int
    email: str | None
    first_name: str | None
    last_name: str | None
    account: str | None
    city: str | None
    denylisted: bool
    created: datetime | None
    last_modified: datetime | None

    @property
    def key(self) -> object:
        return self.id

    @property
    def label(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or self.email or f"#{self.id}"


@dataclass
class ListItem(ExplorerItem):
    id: int
    name: str
    list_label: str
    members: int
    created: datetime | None

    @property
    def key(self) -> object:
        return self.id

    @property
    def label(self) -> str:
        return self.list_label

    @property
    def can_rename(self) -> bool:
        return True

    @property
    def can_delete(self) -> bool:
        return True  # the list goes, its recipients stay


@dataclass
class ServiceItem(ExplorerItem):
    id: int
    name: str
    service_label: str
    subscribers: int
    created: datetime | None

    @property
    def key(self) -> object:
        return self.id

    @property
    def label(self) -> str:
        return self.service_label


@dataclass
class JobItem(ExplorerItem):
    """A generic import or export job as its list shows it (no template snapshot, no counters)."""

    id: int
    job_label: str
    kind: JobKind
    status: JobStatus
    created_by: str = ""
    created_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    source_path: str = ""
    processed: int = 0
    rejected: int = 0
    message: str = ""

    @property
    def key(self) -> object:
        return self.id

    @property
    def label(self) -> str:
        return self.job_label

    def duration_s(self, now: datetime | None = None) -> float | None:
        """Seconds from start to end; a job still running counts up to ``now``."""
        if self.started_at is None:
            return None
        end = self.ended_at or (now or datetime.now())
        return max(0.0, (end - self.started_at).total_seconds())
