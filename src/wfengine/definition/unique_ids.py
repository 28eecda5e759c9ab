"""Give repeated activity, transition, activity-set and lane Ids new ones, for XPDL 2.2's keys.

Why this exists: XPDL 1.0 and 2.1 scope an activity's and a transition's Id to its process
(or activity set), and tools number them per process, so two processes of one file often both
have an activity ``A`` or a transition ``1``. XPDL 2.2 keys them package-wide
(``ActivityIds.Package``, ``GraphicalItemAware.Package``, which activities and transitions
share, ``PoolAndActivityIds.Package``; ``ProcessIds.Package`` and ``ActivitySetIds.Package``
for activity sets). Such a file cannot be written as schema-valid 2.2 without new Ids.

This is a step of ``wfengine convert`` only, never of :func:`~wfengine.definition.io.dump_xpdl`:
a deployed package is stored as written and read back, and its Ids must survive that unchanged.
:func:`unique_ids` returns a copy of the package and what it renamed:

* the first holder of an Id keeps it; activities claim before transitions (an activity's Id is
  what people and scripts address: ``--answers``, work items, the audit trail), each in the
  order they are written (processes in order; in a process, its activity sets, then its top
  level); pools and the verbatim data objects keep theirs (those are never renamed);
* a later holder gets ``<Id>.<scope>``, the scope being the Id of its process or activity set
  (then ``.2``, ``.3``... until the Id is used nowhere in the package), an ``NMTOKEN`` as 2.2's
  ``Id`` type wants;
* an activity set whose Id is a process's or an earlier set's gets ``<Id>.<process>``;
* every reference the model holds to a renamed element is rewritten: transitions' From and To,
  split TransitionRefs, boundary events' targets, blocks' ActivitySetId and StartActivityId,
  activity sets' DefaultStartActivityId, a process's DefaultStartActivityId/SetId, TaskReferences,
  a compensation's ActivityId, ``AssignToPerformerOfActivity`` and
  ``DoNotAssignToPerformerOfActivity``, and the StartActivityId/StartActivitySetId of SubFlows
  that call the process. A process-wide reference (a TaskReference) to an Id its process
  repeats names the holder the runtime compiler picks (the last of the top level, then the
  activity sets in order). A performer rule names the holder the runtime's rule reads
  (:meth:`~wfengine.runtime.compiler._GraphCompiler.resolve`): its own scope's, else that of
  the scopes enclosing it (the blocks that run its set, out to the top level; for a set
  several blocks run, those of the first, as the compiler meets them), else the last holder
  as above. Why not process-wide: since each scope's activity has its own performer, the
  engine reads the rule's own block's, and a converted file must read what the original did;
* a package-level MessageFlow's or Association's Source or Target naming an activity Id is
  rewritten to the holder in the process it means, as a process-wide reference there. With
  the Id in one process that is the one; with it in several, the other end decides: the
  process of the pool, activity, transition or process element it names, or of the lane an
  artifact is drawn in. A message flow joins two pools, so it means a holder in another
  process than its other end's; an association one in the same. Where that leaves several
  (or the other end names no process), the reference is left as it is and names the first
  holder, which keeps the Id.

Lane Ids, which tools number per pool (2.0 keys them nowhere) and 2.2 keys package-wide
(``LaneIds.Package``), are made unique first, by
:func:`~wfengine.definition.unique_lanes.unique_lanes` (its notes say how), and reported here
as renames of kind ``lane``.

Data fields and formal parameters are left alone: their Ids are the names expressions, the
instance's data and an application's inputs use, so renaming them would change what a
definition does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel

from wfengine.definition.model import (
    Activity,
    ActivitySet,
    BlockActivity,
    Event,
    ExtendedAttribute,
    Package,
    ReferenceImplementation,
    SubFlowImplementation,
    Transition,
    WorkflowProcess,
    XmlNode,
)
from wfengine.definition.model_nodes import descendants
from wfengine.definition.unique_lanes import unique_lanes
from wfengine.definition.work_rules import ASSIGN_TO, NOT_ASSIGN_TO

#: verbatim elements 2.2 keys with activities and transitions (``GraphicalItemAware.Package``)
_GRAPHICAL = frozenset({"DataStoreReference", "DataObject", "DataInput", "DataOutput"})
#: what an ``NMTOKEN`` may not hold (XML NameChar, roughly: letters, digits, ``.-_:``)
_NOT_NMTOKEN = re.compile(r"[^\w.:\-]")

#: (process Id, activity-set Id as read or None for the top level)
Scope = tuple[str, str | None]


@dataclass(frozen=True)
class Rename:
    """One element :func:`unique_ids` gave a new Id."""

    #: ``activity``, ``transition``, ``activity set`` or ``lane``
    kind: str
    #: the process it is in (a lane: the process its pool draws, ``""`` when none)
    process_id: str
    #: the activity set the activity or transition is in (its Id as read), None: top level
    activity_set_id: str | None
    old: str
    new: str
    #: a lane's pool (None for the other kinds)
    pool_id: str | None = None

    def describe(self) -> str:
        """``activity 'A' of process 'p' is now 'A.p'``, for a person to read."""
        where = f"process {self.process_id!r}"
        if self.pool_id is not None:
            where = f"pool {self.pool_id!r}"
        elif self.activity_set_id is not None:
            where = f"activity set {self.activity_set_id!r} of {where}"
        return f"{self.kind} {self.old!r} of {where} is now {self.new!r}"


class UniqueIds(NamedTuple):
    package: Package
    renames: tuple[Rename, ...]


def unique_ids(package: Package) -> UniqueIds:
    """``package`` with the activity, transition, activity-set and lane Ids XPDL 2.2 keys
    package-wide made unique, and what was renamed; the package itself when nothing clashes.
    Anything but a package (a path, XPDL text) is a ``TypeError`` saying to load it first."""
    from wfengine.definition.package_arg import require_package

    fresh = _FreshIds(require_package(package, "unique_ids"))
    # lanes first: the links below learn an artifact's process from the lane it is drawn in
    package, lane_renames = unique_lanes(package, fresh)
    lanes = tuple(
        Rename("lane", r.process_id or "", None, r.old, r.new, pool_id=r.pool_id)
        for r in lane_renames
    )
    plan = _Plan(package, fresh)
    if not plan.renames:
        return UniqueIds(package, lanes)
    processes = tuple(plan.process(p) for p in package.workflow_processes)
    links = _Links(package, {p.id: plan.process_wide(p) for p in package.workflow_processes})
    update = {
        "workflow_processes": processes,
        "message_flows": tuple(links.rewrite(f, across=True) for f in package.message_flows),
        "associations": tuple(links.rewrite(a, across=False) for a in package.associations),
    }
    return UniqueIds(package.model_copy(update=update), (*plan.renames, *lanes))


def _scopes(process: WorkflowProcess) -> Iterator[tuple[str | None, ActivitySet | None]]:
    """The process's activity sets, then its top level, as the writer writes them."""
    for activity_set in process.activity_sets:
        yield activity_set.id, activity_set
    yield None, None


def _verbatim(package: Package) -> Iterator[XmlNode]:
    """Every element kept verbatim anywhere in the package, nested ones included."""
    for node in descendants(package):
        for value in node.__dict__.values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, XmlNode):
                    yield from item.iter()


class _FreshIds:
    """Makes new Ids: ``base`` as an ``NMTOKEN``, else with ``.2``, ``.3``... appended, until
    it is an Id used nowhere in the package (nor made before)."""

    def __init__(self, package: Package) -> None:
        self.taken: set[str] = set()
        for node in descendants(package):
            found = getattr(node, "id", None)
            if isinstance(found, str):
                self.taken.add(found)
        for xml in _verbatim(package):
            found = xml.get("Id")
            if found is not None:
                self.taken.add(found)

    def __call__(self, base: str) -> str:
        base = _NOT_NMTOKEN.sub("_", base)
        new, n = base, 1
        while new in self.taken:
            n += 1
            new = f"{base}.{n}"
        self.taken.add(new)
        return new


class _Plan:
    """Decides the new Ids, then rewrites each process with them."""

    def __init__(self, package: Package, fresh: _FreshIds) -> None:
        self.package = package
        self.local = {p.id for p in package.workflow_processes}
        self._fresh = fresh
        graphical: set[str] = {pool.id for pool in package.pools}
        for xml in _verbatim(package):
            found = xml.get("Id")
            if found is not None and xml.local_name in _GRAPHICAL:
                graphical.add(found)
        renames: list[Rename] = []
        #: per process, the activity sets renamed: old Id -> new
        self.sets: dict[str, dict[str, str]] = {}
        claimed = set(self.local)
        for p in package.workflow_processes:
            own: set[str] = set()
            for s in p.activity_sets:
                # a process repeating a set Id is broken in every version: left as it is
                if s.id in claimed and s.id not in own:
                    new = self._fresh(f"{s.id}.{p.id}")
                    self.sets.setdefault(p.id, {})[s.id] = new
                    renames.append(Rename("activity set", p.id, None, s.id, new))
                own.add(s.id)
                claimed.add(self.sets.get(p.id, {}).get(s.id, s.id))
        #: per scope, the activities and the transitions renamed: old Id -> new
        self.activities: dict[Scope, dict[str, str]] = {}
        self.transitions: dict[Scope, dict[str, str]] = {}
        for kind, table in (("activity", self.activities), ("transition", self.transitions)):
            for p in package.workflow_processes:
                for set_id, aset in _scopes(p):
                    items = _items(p, aset, kind)
                    named = self.sets.get(p.id, {}).get(set_id, set_id) if set_id else p.id
                    here: set[str] = set()
                    for item_id in items:
                        # a scope repeating an Id is broken in every version: left as it is
                        if item_id in graphical and item_id not in here:
                            new = self._fresh(f"{item_id}.{named}")
                            table.setdefault((p.id, set_id), {})[item_id] = new
                            renames.append(Rename(kind, p.id, set_id, item_id, new))
                        here.add(item_id)
                        graphical.add(table.get((p.id, set_id), {}).get(item_id, item_id))
        self.renames = tuple(renames)

    def process_wide(self, process: WorkflowProcess) -> dict[str, str]:
        """What a process-wide reference (a TaskReference, a performer rule) names, old Id to
        new: resolved as the compiler resolves it, so an Id the process itself repeats names
        its last holder among the top level, then the activity sets in order."""
        found: dict[str, str] = {}
        for set_id in (None, *(s.id for s in process.activity_sets)):
            table = self.activities.get((process.id, set_id), {})
            aset = process.activity_set(set_id) if set_id is not None else None
            for a in _activities(process, aset):
                found[a.id] = table.get(a.id, a.id)
        return {old: new for old, new in found.items() if old != new}

    def rule_targets(
        self, process: WorkflowProcess, chain: tuple[str | None, ...], wide: Mapping[str, str]
    ) -> dict[str, str]:
        """What a performer rule of the scope ``chain`` begins with names, old Id to new: the
        Ids of that scope and of those enclosing it (the rest of ``chain``, from
        :func:`_enclosing`), the innermost holder first, as the runtime resolves a rule; any
        other Id as a process-wide reference does (``wide``)."""
        found = dict(wide)
        for scope_id in reversed(chain):  # (the innermost last: it wins)
            table = self.activities.get((process.id, scope_id), {})
            aset = process.activity_set(scope_id) if scope_id is not None else None
            for a in _activities(process, aset):
                found[a.id] = table.get(a.id, a.id)
        return {old: new for old, new in found.items() if old != new}

    def process(self, p: WorkflowProcess) -> WorkflowProcess:
        sets = self.sets.get(p.id, {})
        wide = self.process_wide(p)
        chains = _enclosing(p)
        new_sets = tuple(self._scope(p, s, wide, chains) for s in p.activity_sets)
        top = self._scope(p, p, wide, chains)
        assert isinstance(top, WorkflowProcess)
        start_set = dict(top.extra_attrs).get("DefaultStartActivitySetId")
        in_scope = self.activities.get((p.id, start_set), {})
        extra_attrs = tuple(
            (k, sets.get(v, v))
            if k == "DefaultStartActivitySetId"
            else (k, in_scope.get(v, v))
            if k == "DefaultStartActivityId"
            else (k, v)
            for k, v in top.extra_attrs
        )
        return top.model_copy(update={"activity_sets": new_sets, "extra_attrs": extra_attrs})

    def _scope(
        self,
        p: WorkflowProcess,
        node: ActivitySet | WorkflowProcess,
        wide: Mapping[str, str],
        chains: Mapping[str | None, tuple[str | None, ...]],
    ) -> ActivitySet | WorkflowProcess:
        """``node``, an activity set of ``p`` or ``p``'s top level, with its new Ids."""
        set_id = node.id if isinstance(node, ActivitySet) else None
        acts = self.activities.get((p.id, set_id), {})
        trans = self.transitions.get((p.id, set_id), {})
        rules = self.rule_targets(p, chains.get(set_id, (set_id, None)), wide)
        activities = tuple(self._activity(p, a, acts, trans, wide, rules) for a in node.activities)
        transitions = tuple(_transition(t, acts, trans) for t in node.transitions)
        update: dict[str, object] = {"activities": activities, "transitions": transitions}
        if isinstance(node, ActivitySet):
            update["id"] = self.sets.get(p.id, {}).get(node.id, node.id)
            start = node.default_start_activity_id
            update["default_start_activity_id"] = acts.get(start, start) if start else start
        return node.model_copy(update=update)

    def _activity(
        self,
        p: WorkflowProcess,
        a: Activity,
        acts: Mapping[str, str],
        trans: Mapping[str, str],
        wide: Mapping[str, str],
        rules: Mapping[str, str],
    ) -> Activity:
        update: dict[str, object] = {
            "id": acts.get(a.id, a.id),
            "body": self._body(p, a, acts, wide),
            "extended_attributes": tuple(_assignment(e, rules) for e in a.extended_attributes),
        }
        if a.split is not None and a.split.transition_refs:
            refs = tuple(trans.get(r, r) for r in a.split.transition_refs)
            update["split"] = a.split.model_copy(update={"transition_refs": refs})
        return a.model_copy(update=update)

    def _body(
        self, p: WorkflowProcess, a: Activity, acts: Mapping[str, str], wide: Mapping[str, str]
    ) -> BaseModel:
        body = a.body
        if isinstance(body, Event):
            detail = tuple(_rewrite_attr(d, "ActivityId", wide) for d in body.detail)
            target = acts.get(body.target, body.target) if body.target else body.target
            return body.model_copy(update={"target": target, "detail": detail})
        if isinstance(body, BlockActivity):
            inner = self.activities.get((p.id, body.activity_set_id), {})
            start = body.start_activity_id
            set_id = self.sets.get(p.id, {}).get(body.activity_set_id, body.activity_set_id)
            return body.model_copy(
                update={
                    "activity_set_id": set_id,
                    "start_activity_id": inner.get(start, start) if start else start,
                }
            )
        if isinstance(body, ReferenceImplementation):
            named = wide.get(body.activity_id, body.activity_id)
            return body.model_copy(update={"activity_id": named})
        if isinstance(body, SubFlowImplementation) and self._calls_here(body):
            called = body.process_id
            start_set = body.start_activity_set_id
            inner = self.activities.get((called, start_set), {})
            start = body.start_activity_id
            named_set = self.sets.get(called, {}).get(start_set, start_set) if start_set else None
            return body.model_copy(
                update={
                    "start_activity_set_id": named_set,
                    "start_activity_id": inner.get(start, start) if start else start,
                }
            )
        return body

    def _calls_here(self, body: SubFlowImplementation) -> bool:
        """Whether a SubFlow calls a process of this package (not one of another)."""
        ref = body.package_ref
        return body.process_id in self.local and (ref is None or ref == self.package.id)


class _Links:
    """Rewrites a package-level MessageFlow's or Association's ends to the holders they mean."""

    def __init__(self, package: Package, wide: Mapping[str, Mapping[str, str]]) -> None:
        #: per process, old activity Id -> new, as a process-wide reference resolves it
        self.wide = wide
        #: activity Id as read -> the processes holding it, in order
        self.holders: dict[str, list[str]] = {}
        #: Id -> its process, for what else an end may name (None: several processes)
        self.owner: dict[str, str | None] = {}
        for p in package.workflow_processes:
            scopes: tuple[ActivitySet | WorkflowProcess, ...] = (*p.activity_sets, p)
            for scope in scopes:
                for a in scope.activities:
                    held = self.holders.setdefault(a.id, [])
                    if p.id not in held:
                        held.append(p.id)
                for t in scope.transitions:
                    self._own(t.id, p.id)
            for node in descendants(p):
                for value in node.__dict__.values():
                    for item in value if isinstance(value, tuple) else (value,):
                        if isinstance(item, XmlNode):
                            for xml in item.iter():
                                self._own(xml.get("Id"), p.id)
        lanes: dict[str, str] = {}
        for pool in package.pools:
            if pool.process is not None:
                self._own(pool.id, pool.process)
                lanes.update((lane.id, pool.process) for lane in pool.lanes)
        for artifact in package.artifacts:
            drawn = {
                lanes[lane]
                for xml in artifact.iter()
                if (lane := xml.get("LaneId")) is not None and lane in lanes
            }
            if len(drawn) == 1:
                self._own(artifact.get("Id"), drawn.pop())

    def _own(self, element_id: str | None, process_id: str) -> None:
        if element_id is not None:
            known = self.owner.setdefault(element_id, process_id)
            if known != process_id:
                self.owner[element_id] = None

    def _process_of(self, element_id: str | None) -> str | None:
        """The one process ``element_id`` (the other end of a link) belongs to, if known."""
        if element_id is None:
            return None
        held = self.holders.get(element_id)
        if held:
            return held[0] if len(held) == 1 else None
        return self.owner.get(element_id)

    def rewrite(self, link: XmlNode, *, across: bool) -> XmlNode:
        """``link`` with a Source or Target naming a renamed activity rewritten; ``across``:
        a message flow, whose ends are in different processes (an association's are in one)."""
        ends = {"Source": link.get("Source"), "Target": link.get("Target")}
        attrs = list(link.attrs)
        for i, (name, value) in enumerate(attrs):
            if name not in ends or value not in self.holders:
                continue
            held = self.holders[value]
            if len(held) > 1:
                other = self._process_of(ends["Target" if name == "Source" else "Source"])
                if other is None:
                    continue
                held = [p for p in held if (p != other) == across]
                if len(held) != 1:
                    continue
            attrs[i] = (name, self.wide[held[0]].get(value, value))
        new = tuple(attrs)
        return link if new == link.attrs else link.model_copy(update={"attrs": new})


def _enclosing(process: WorkflowProcess) -> dict[str | None, tuple[str | None, ...]]:
    """Each scope of ``process`` (None: the top level) -> it and the scopes enclosing it,
    innermost first, out to the top level: the blocks that run an activity set, met as the
    runtime compiler meets them (depth first, in definition order; the first block that
    runs a set decides). A set no block runs has only itself and the top level."""
    sets = {s.id: s for s in process.activity_sets}
    found: dict[str | None, tuple[str | None, ...]] = {None: (None,)}
    todo: list[Iterator[Activity]] = [iter(process.activities)]
    chains: list[tuple[str | None, ...]] = [(None,)]
    while todo:  # (a stack, not recursion: a file may nest sets deeper than Python does)
        a = next(todo[-1], None)
        if a is None:
            todo.pop()
            chains.pop()
            continue
        body = a.body
        if isinstance(body, BlockActivity) and body.activity_set_id not in found:
            inner = sets.get(body.activity_set_id)
            if inner is not None:
                found[inner.id] = chain = (inner.id, *chains[-1])
                todo.append(iter(inner.activities))
                chains.append(chain)
    return found


def _items(p: WorkflowProcess, aset: ActivitySet | None, kind: str) -> list[str]:
    if kind == "activity":
        return [a.id for a in _activities(p, aset)]
    return [t.id for t in (aset.transitions if aset is not None else p.transitions)]


def _activities(p: WorkflowProcess, aset: ActivitySet | None) -> tuple[Activity, ...]:
    return aset.activities if aset is not None else p.activities


def _transition(t: Transition, acts: Mapping[str, str], trans: Mapping[str, str]) -> Transition:
    if not (t.id in trans or t.from_ in acts or t.to in acts):
        return t
    return t.model_copy(
        update={
            "id": trans.get(t.id, t.id),
            "from_": acts.get(t.from_, t.from_),
            "to": acts.get(t.to, t.to),
        }
    )


def _assignment(e: ExtendedAttribute, wide: Mapping[str, str]) -> ExtendedAttribute:
    """``AssignToPerformerOfActivity`` / ``DoNotAssignToPerformerOfActivity`` naming renamed
    activities, rewritten (each of a comma-separated list)."""
    field = "value" if e.value is not None else "text"
    text = getattr(e, field)
    if e.name not in (ASSIGN_TO, NOT_ASSIGN_TO) or not text:
        return e
    parts = [part.strip() for part in text.split(",")]
    if not any(part in wide for part in parts):
        return e
    return e.model_copy(update={field: ",".join(wide.get(part, part) for part in parts)})


def _rewrite_attr(node: XmlNode, name: str, table: Mapping[str, str]) -> XmlNode:
    """``node`` (and those under it) with attribute ``name`` mapped through ``table``."""
    return node.model_copy(
        update={
            "attrs": tuple((k, table.get(v, v) if k == name else v) for k, v in node.attrs),
            "children": tuple(_rewrite_attr(c, name, table) for c in node.children),
        }
    )
