"""Which pool's lane a ``LaneId`` names, when several pools have a lane of that Id.

Why this exists: XPDL 2.0's schema keys lane Ids nowhere, and tools number lanes per pool,
so two pools of one file often both have a lane ``L1`` (or ``Lane1``; files that say 2.1,
whose schema keys them package-wide as 2.2's does with ``LaneIds.Package``, are written so
too). A ``LaneId`` (an activity's ``NodeGraphicsInfo``, a lane's ``ParentLane`` or
``NestedLane``) then means the lane of the pool it is drawn in, which is the one rule both
readers of it follow, so that what runs is what ``wfengine convert`` writes:

* an activity (or anything else drawn in a process) names a lane of the pools that draw its
  process (``Pool Process=``), the first of them holding that Id;
* a lane's ``ParentLane`` or ``NestedLane`` names a lane of its own pool;
* a lane Id found in none of those names the first lane of the package with that Id (the one
  ``convert`` lets keep it); an Id no lane has names none.

:class:`~wfengine.definition.lanes.LanePerformers` (who works on an activity drawn in a lane)
and :mod:`~wfengine.definition.unique_lanes` (``convert``'s renames) both ask :class:`LaneScopes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wfengine.definition.model import Pool
from wfengine.definition.model_nodes import XmlNode
from wfengine.definition.namespaces import XPDL_NAMESPACES

#: the XPDL elements whose ``LaneId`` attribute names a lane
LANE_REFERENCES = frozenset({"NodeGraphicsInfo", "NestedLane"})


def names_lane(node: XmlNode) -> str | None:
    """The lane Id ``node`` names, when it is an XPDL ``NodeGraphicsInfo`` or ``NestedLane``
    with a ``LaneId`` (a vendor element's attribute of that name may mean anything)."""
    if node.local_name not in LANE_REFERENCES or node.namespace not in (None, *XPDL_NAMESPACES):
        return None
    lane_id = node.get("LaneId")
    return lane_id.strip() if lane_id is not None and lane_id.strip() else None


class LaneScopes:
    """The pools of a package (by their index in ``pools``) and the lane Ids each holds."""

    def __init__(self, pools: Sequence[Pool]) -> None:
        self.pools = tuple(pools)
        #: per pool, the lane Ids it holds
        self.held = tuple(frozenset(lane.id for lane in pool.lanes) for pool in self.pools)
        #: process Id -> the pools that draw it, in order
        self.drawing: dict[str, list[int]] = {}
        #: lane Id -> the first pool holding it
        self.first: dict[str, int] = {}
        for index, pool in enumerate(self.pools):
            if pool.process is not None:
                self.drawing.setdefault(pool.process, []).append(index)
            for lane in pool.lanes:
                self.first.setdefault(lane.id, index)

    def in_process(self, lane_id: str, processes: Iterable[str]) -> int | None:
        """The pool whose lane ``lane_id`` names when drawn in one of ``processes`` (tried in
        order: a caller not sure which process holds what it asks about gives each that may):
        the first pool drawing one of them that holds it, else the package's first."""
        for process_id in processes:
            for index in self.drawing.get(process_id, ()):
                if lane_id in self.held[index]:
                    return index
        return self.first.get(lane_id)

    def in_pool(self, lane_id: str, pool: int) -> int | None:
        """The pool whose lane ``lane_id`` names when a lane of pool ``pool`` names it (its
        ``ParentLane``, a ``NestedLane``): that pool when it holds it, else the package's
        first."""
        return pool if lane_id in self.held[pool] else self.first.get(lane_id)
