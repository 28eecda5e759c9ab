"""What every check needs to know about a package, computed once per validation.

A *scope* is a graph of activities joined by transitions: a process's top level, or one of its
activity sets. Ids of activities and transitions resolve within a scope; data fields,
participants and applications resolve in the process first, then in the package. The context
builds the scopes' graphs and those lookup tables once so that the checks stay short and agree.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar, cast

import networkx as nx

from wfengine.definition.checks.process_index import ProcessIndex
from wfengine.definition.diagnostics import Diagnostic
from wfengine.definition.graph import (
    is_boundary_event,
    link_event,
    link_throws,
    process_graph,
    thrown_links,
)
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    Application,
    ConditionType,
    Package,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.reading import is_identifier, package_language
from wfengine.expressions import Language

#: A check: look at the package, yield findings.
Check = Callable[["Context"], Iterator[Diagnostic]]

_T = TypeVar("_T")

#: The ``.`` and ``-`` an XPDL Id (an NMTOKEN) often carries (``sales.manager``,
#: ``order-id``) and an identifier does not: a name with them inside is still a plain name.
_ID_PUNCTUATION = str.maketrans(".-", "__")


def is_plain_name(text: str) -> bool:
    """True when ``text`` (stripped) is a bare name rather than an expression: an identifier
    an expression reads as written (:func:`~wfengine.definition.reading.is_identifier`, so
    ``größe`` and ``名前`` too), which may also carry an Id's ``.`` and ``-`` after its first
    character. Why any script: a name this refuses is taken for an expression, so an OUT
    parameter passed to ``größe`` was refused as "no data field" (``parameter-mode``) and a
    performer ``Prüfer`` naming no participant went unreported, though expressions read
    both."""
    name = text.strip()
    return name[:1] not in ".-" and is_identifier(name.translate(_ID_PUNCTUATION))


@dataclass(frozen=True, eq=False)
class Scope:
    """A process's top level (``activity_set`` None) or one of its activity sets.

    Compared by identity: two scopes are the same scope only if they are the same object.
    """

    process: WorkflowProcess
    activity_set: ActivitySet | None
    graph: nx.MultiDiGraph[str]

    @property
    def activities(self) -> tuple[Activity, ...]:
        return (
            self.process.activities if self.activity_set is None else self.activity_set.activities
        )

    @property
    def transitions(self) -> tuple[Transition, ...]:
        if self.activity_set is None:
            return self.process.transitions
        return self.activity_set.transitions

    @property
    def where(self) -> str:
        """How messages name the scope: ``process 'P'``, ``activity set 'S' of process 'P'``."""
        if self.activity_set is None:
            return f"process {self.process.id!r}"
        return f"activity set {self.activity_set.id!r} of process {self.process.id!r}"

    @property
    def element_id(self) -> str:
        return self.process.id if self.activity_set is None else self.activity_set.id

    @property
    def line(self) -> int | None:
        return self.process.line if self.activity_set is None else self.activity_set.line

    @cached_property
    def analysis_graph(self) -> nx.MultiDiGraph[str]:
        """The scope graph plus an edge from each activity to the boundary events on it, and
        from each throwing link event to the catching link of its name.

        A boundary event has no incoming transition but is reached whenever the activity it is
        attached to runs, and a catching link whenever a link throws to it; reachability,
        dead-end and cycle questions must see those ties.
        """
        graph = self.graph.copy()
        thrown = thrown_links(self.graph)
        throwers: dict[str, list[str]] = {}
        catchers: dict[str, str] = {}
        for node, data in self.graph.nodes(data=True):
            activity: Activity = data["activity"]
            event = activity.event
            target = event.target if event is not None and is_boundary_event(activity) else None
            if target is not None and target in graph:
                graph.add_edge(target, node, key=f"<boundary {node}>")
            link = link_event(activity)
            if link is not None and link[0] in thrown:
                if link_throws(link[1], self.graph.out_degree(node) > 0):
                    throwers.setdefault(link[0], []).append(node)
                else:
                    catchers.setdefault(link[0], node)
        for name, nodes in throwers.items():
            if name in catchers:
                for node in nodes:
                    graph.add_edge(node, catchers[name], key=f"<link {name}>")
        return graph


def condition_kind(transition: Transition) -> ConditionType | None:
    """The transition's condition kind; a bare expression with no Type counts as CONDITION."""
    condition = transition.condition
    if condition is None:
        return None
    if condition.type in (None, ConditionType.CONDITION):
        text = condition.expression
        return ConditionType.CONDITION if text is not None and text.strip() else None
    return condition.type


@dataclass
class Context:
    """The package under validation, its scopes, and name tables for reference checks."""

    package: Package
    scopes: list[Scope]
    #: the processes under validation: all of the package's, or the one being deployed
    processes: tuple[WorkflowProcess, ...] = ()
    #: what :meth:`once` computed, shared by the contexts of one package's validation
    shared: dict[Hashable, Any] = field(default_factory=dict, repr=False)
    #: :meth:`process_index` by ``id(process)`` (the package holds each process meanwhile)
    _indexes: dict[int, ProcessIndex] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def build(
        cls,
        package: Package,
        processes: tuple[WorkflowProcess, ...] | None = None,
        shared: dict[Hashable, Any] | None = None,
    ) -> Context:
        """The context for validating ``processes`` (default: every process of the package).

        Package-level checks see the whole package either way; checks of processes and their
        scopes look only at ``processes``, which is how a deploy validates one process.
        ``shared`` is the :meth:`once` store of the package's other contexts, so that a
        deploy validating its processes one by one walks the whole package once, not once
        per process (which made a package of N processes cost N times its size).
        """
        chosen = package.workflow_processes if processes is None else processes
        scopes: list[Scope] = []
        for process in chosen:
            scopes.append(Scope(process, None, process_graph(process)))
            for activity_set in process.activity_sets:
                scopes.append(Scope(process, activity_set, process_graph(process, activity_set)))
        return cls(package, scopes, tuple(chosen), {} if shared is None else shared)

    def once(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """What ``compute()`` returns, computed once for the package under validation and
        kept under ``key`` (the function computing it, by convention) for every context
        sharing this one's :attr:`shared` store.

        Why: what a check learns from the whole package (its texts, its Ids, its types) is
        the same whichever process is validated; a deploy validates each process on its own
        and would otherwise walk the whole package again for each. ``compute`` must depend
        on :attr:`package` alone, never on :attr:`processes`; a check then selects from it
        what concerns the processes under validation."""
        if key not in self.shared:
            self.shared[key] = compute()
        return cast(_T, self.shared[key])

    @property
    def is_xpdl1(self) -> bool:
        """True for a package read from XPDL 1.0, whose AND split with conditions is an OR."""
        return self.package.source_version == "1.0"

    @property
    def script_type(self) -> str | None:
        return self.package.script.type if self.package.script is not None else None

    @cached_property
    def language(self) -> Language:
        """The default language of the package's expressions (see ``definition.reading``)."""
        return package_language(self.package)

    @property
    def has_external_packages(self) -> bool:
        return bool(self.package.external_packages)

    @property
    def process_ids(self) -> dict[str, WorkflowProcess]:
        """Processes by Id; the first one wins where an Id repeats (``duplicate-id`` says so)."""
        return self.once(_process_ids, lambda: _process_ids(self.package))

    def process_index(self, process: WorkflowProcess) -> ProcessIndex:
        """``process``'s activity sets and activities by Id, built when first asked: a check
        of one scope looks up the rest of its process here rather than walking it."""
        index = self._indexes.get(id(process))
        if index is None:
            index = self._indexes[id(process)] = ProcessIndex(process)
        return index

    def data_names(self, process: WorkflowProcess, activity: Activity | None = None) -> set[str]:
        """Names an expression in ``process`` (and in ``activity``) may use as variables.

        An activity's own DataFields are none of them: the engine does not provide them
        (``activity-data-field``), so an expression reading one is told it names nothing.
        Its loop counter is: the engine sets it before each iteration."""
        # the package's part once (a copy of a set is a fraction of building it field by
        # field, which made a package of N processes and N fields cost N x N)
        names = set(self.once(_package_field_ids, lambda: _package_field_ids(self.package)))
        names.update(f.id for f in process.data_fields)
        names.update(p.id for p in process.formal_parameters)
        if activity is not None:
            loop = activity.loop
            counter = loop.counter_field if loop is not None else None
            if counter is not None:  # an integer LoopCounter (XPDL 2.2's) names no field
                names.add(counter)
        return names

    def participant_ids(self, process: WorkflowProcess) -> set[str]:
        ids = set(self.once(_participant_ids, lambda: _participant_ids(self.package)))
        ids.update(p.id for p in process.participants)
        return ids

    def application(self, process: WorkflowProcess, application_id: str) -> Application | None:
        """The application a tool names: the process's own first, then the package's."""
        for app in (*process.applications, *self.package.applications):
            if app.id == application_id:
                return app
        return None


def _package_field_ids(package: Package) -> frozenset[str]:
    return frozenset(f.id for f in package.data_fields)


def _participant_ids(package: Package) -> frozenset[str]:
    return frozenset(p.id for p in package.participants)


def _process_ids(package: Package) -> dict[str, WorkflowProcess]:
    found: dict[str, WorkflowProcess] = {}
    for process in package.workflow_processes:
        found.setdefault(process.id, process)
    return found
