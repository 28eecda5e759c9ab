"""Give lane Ids that several pools repeat new ones, for XPDL 2.2's ``LaneIds.Package`` key.

Why this exists: XPDL 2.0 lets each pool number its lanes (tools write ``L1``, ``Lane1`` in
every pool, in files that say 2.1 too), XPDL 2.2 keys lane Ids package-wide, so such a file
cannot be written as schema-valid 2.2 without new Ids. A step of ``wfengine convert`` only, through
:func:`~wfengine.definition.unique_ids.unique_ids`, like the activity renames:

* the first pool (in the order written) holding a lane Id keeps it; a later pool's lane of that
  Id becomes ``<Id>.<pool Id>`` (then ``.2``, ``.3``... until the Id is used nowhere in the
  package); a pool repeating a lane Id among its own lanes is broken in every version and
  left as it is;
* every ``LaneId`` naming a renamed lane is rewritten to the lane it means, as
  :class:`~wfengine.definition.lane_scopes.LaneScopes` reads it (and so as the engine gives
  an activity its lane's performers): the ``NodeGraphicsInfo`` of what a process holds (its
  activities, in activity sets too, and what is kept verbatim) names a lane of the pools
  drawing that process; a lane's ``ParentLane`` and ``NestedLane`` and a pool's own graphics
  name one of their pool; a package-level artifact's, one of the pools drawing the processes
  its associations link it to (none: the first holder, which keeps the Id).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from pydantic import BaseModel

from wfengine.definition.lane_scopes import LaneScopes, names_lane
from wfengine.definition.model import ActivitySet, Package, Pool, WorkflowProcess
from wfengine.definition.model_nodes import XmlNode

_M = TypeVar("_M", bound=BaseModel)
#: a lane Id as read -> the Id it is written as
Relane = Callable[[str], str]


class LaneRename(NamedTuple):
    """One lane :func:`unique_lanes` gave a new Id."""

    pool_id: str
    #: the process the pool draws, if any
    process_id: str | None
    old: str
    new: str


class UniqueLanes(NamedTuple):
    package: Package
    renames: tuple[LaneRename, ...]


def unique_lanes(package: Package, fresh: Callable[[str], str]) -> UniqueLanes:
    """``package`` with the lane Ids several pools repeat made unique (the package itself when
    none is), and what was renamed. ``fresh`` turns a wanted Id (``L1.pool2``) into one used
    nowhere in the package yet, and remembers it."""
    scopes = LaneScopes(package.pools)
    #: pool index -> its lanes renamed: old Id -> new
    renamed: dict[int, dict[str, str]] = {}
    renames: list[LaneRename] = []
    claimed: set[str] = set()
    for index, pool in enumerate(package.pools):
        here: set[str] = set()
        for lane in pool.lanes:
            if lane.id in claimed and lane.id not in here:
                new = fresh(f"{lane.id}.{pool.id}")
                renamed.setdefault(index, {})[lane.id] = new
                renames.append(LaneRename(pool.id, pool.process, lane.id, new))
            here.add(lane.id)
        claimed |= here
    if not renames:
        return UniqueLanes(package, ())

    def written(lane_id: str, pool: int | None) -> str:
        return renamed.get(pool, {}).get(lane_id, lane_id) if pool is not None else lane_id

    def in_processes(processes: Sequence[str]) -> Relane:
        return lambda lane_id: written(lane_id, scopes.in_process(lane_id, processes))

    def in_pool(pool: int) -> Relane:
        return lambda lane_id: written(lane_id, scopes.in_pool(lane_id, pool))

    pools = tuple(_pool(pool, in_pool(i)) for i, pool in enumerate(package.pools))
    processes = tuple(_relane(p, in_processes((p.id,))) for p in package.workflow_processes)
    linked = _linked_processes(package)
    artifacts = tuple(
        _relane_xml(a, in_processes(linked.get(a.get("Id") or "", ()))) for a in package.artifacts
    )
    update = {"pools": pools, "workflow_processes": processes, "artifacts": artifacts}
    return UniqueLanes(package.model_copy(update=update), tuple(renames))


def _pool(pool: Pool, relane: Relane) -> Pool:
    """``pool`` with its lanes' new Ids and every lane reference in it rewritten."""
    pool = _relane(pool, relane)
    lanes = tuple(
        lane.model_copy(
            update={
                "id": relane(lane.id),
                "parent_lane": relane(lane.parent_lane) if lane.parent_lane else lane.parent_lane,
            }
        )
        for lane in pool.lanes
    )
    return pool.model_copy(update={"lanes": lanes})


def _linked_processes(package: Package) -> dict[str, tuple[str, ...]]:
    """Artifact Id -> the processes its associations link it to (through an activity, a
    transition or a pool at the other end), in the package's order."""
    owners: dict[str, set[str]] = {}
    for p in package.workflow_processes:
        scopes: tuple[WorkflowProcess | ActivitySet, ...] = (p, *p.activity_sets)
        for scope in scopes:
            for element_id in (
                *(a.id for a in scope.activities),
                *(t.id for t in scope.transitions),
            ):
                owners.setdefault(element_id, set()).add(p.id)
    for pool in package.pools:
        if pool.process is not None:
            owners.setdefault(pool.id, set()).add(pool.process)
    found: dict[str, set[str]] = {}
    for link in package.associations:
        source, target = link.get("Source"), link.get("Target")
        for end, other in ((source, target), (target, source)):
            if end is not None and other is not None:
                found.setdefault(end, set()).update(owners.get(other, ()))
    order = [p.id for p in package.workflow_processes]
    return {end: tuple(p for p in order if p in held) for end, held in found.items()}


def _relane(node: _M, relane: Relane) -> _M:
    """``node`` with every lane reference in the verbatim XML anywhere under it rewritten
    (``node`` itself when none changes)."""
    update: dict[str, object] = {}
    for name, value in node.__dict__.items():
        if isinstance(value, tuple):
            new = tuple(_relane_item(item, relane) for item in value)
            if any(a is not b for a, b in zip(new, value, strict=True)):
                update[name] = new
        elif isinstance(value, BaseModel):
            changed = _relane_item(value, relane)
            if changed is not value:
                update[name] = changed
    return node.model_copy(update=update) if update else node


def _relane_item(item: object, relane: Relane) -> object:
    if isinstance(item, XmlNode):
        return _relane_xml(item, relane)
    if isinstance(item, BaseModel):
        return _relane(item, relane)
    return item


def _relane_xml(node: XmlNode, relane: Relane) -> XmlNode:
    """``node`` (and the elements under it) with a ``LaneId`` naming a renamed lane rewritten."""
    children = tuple(_relane_xml(child, relane) for child in node.children)
    attrs = node.attrs
    lane_id = names_lane(node)
    if lane_id is not None and (new := relane(lane_id)) != lane_id:
        attrs = tuple((k, new if k == "LaneId" else v) for k, v in attrs)
    if attrs is node.attrs and all(a is b for a, b in zip(children, node.children, strict=True)):
        return node
    return node.model_copy(update={"attrs": attrs, "children": children})
