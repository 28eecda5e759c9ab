"""An activity's performers as the pool lane it is drawn in gives them, when it names none.

Why: XPDL 2.x modelling tools (Bizagi, Signavio, JaWE 2.1, shoobx's publication sample in
``../shared/conformance/xpdl``) draw an activity in a pool lane (its ``NodeGraphicsInfo``
says ``LaneId``) and name who works there on the lane (``<Lane><Performers>``): the lane is
the role. An activity that names no ``Performer`` of its own is then meant for the lane's
performers. The rules, read one way for the runtime compiler and whoever shows a definition:

* the activity's own performers always win (a Reference activity's: those of the activity it
  names, when it names none itself);
* only an activity that may wait for a person takes its lane's (a Route, an Event, a SubFlow
  or a BlockActivity never does: :func:`~wfengine.definition.modes.can_wait_for_a_person`;
  a script task does, judged with the lane's performers, so a Manual one waits for them);
* the activity's lane is the first ``LaneId`` of its graphics that names a lane of the
  package; when that lane names no performers, the nearest lane around it that does
  (its ``ParentLane``, as XPDL 2.0 and TIBCO write nesting, or the lane that lists it as a
  ``NestedLane``, as 2.1 and JaWE do), else none. A lane Id several pools have (tools number
  lanes per pool) names the lane of the pool drawing the activity's own process, and a
  nesting one of the same pool (:mod:`~wfengine.definition.lane_scopes`, which ``convert``
  follows when it renames such lanes);
* the lane's performers are then the activity's in every respect: its unwritten mode (an
  activity without an implementation is a person's work, as with a performer of its own:
  :mod:`~wfengine.definition.modes`), and how each is resolved when its work is offered (a
  declared participant, else a role, unit or user of the directory by name, else an
  expression over the process's data), exactly as a performer written on the activity.
  A lane performer that names no participant is reported by validation once, on the lane
  (``undefined-participant``), and offered by name as an activity's would be.

The runtime compiler calls :meth:`LanePerformers.applied` on each activity it compiles (a
Reference already resolved); ``wfengine show``, ``render`` and the simulation's scenario
check call :meth:`LanePerformers.shown` with the process's activities, so a Reference is
judged the same way, and what they present is what runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from wfengine.definition.lane_scopes import LaneScopes, names_lane
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    Lane,
    Package,
    ReferenceImplementation,
    WorkflowProcess,
)
from wfengine.definition.model_nodes import XmlNode
from wfengine.definition.modes import can_wait_for_a_person

#: a lane of the package: its pool's index and its Id (pools may repeat lane Ids)
_Key = tuple[int, str]


class LanePerformers:
    """The performers each lane of a package stands for (nesting resolved once)."""

    def __init__(self, package: Package) -> None:
        self._scopes = scopes = LaneScopes(package.pools)
        #: a lane, as (its pool's index, its Id) -> the lane it is drawn in (its ParentLane,
        #: else the lane listing it as a NestedLane), both of its pool where it has them
        parents: dict[_Key, _Key] = {}
        lanes: dict[_Key, Lane] = {}
        for index, pool in enumerate(scopes.pools):
            for lane in pool.lanes:
                lanes.setdefault((index, lane.id), lane)
        for (index, lane_id), lane in lanes.items():
            if lane.parent_lane:
                _link(parents, (index, lane_id), lane.parent_lane, scopes.in_pool)
        for (index, lane_id), lane in lanes.items():
            for nested in _nested_lanes(lane):
                _link(parents, (index, nested), lane_id, scopes.in_pool, keep=True)
        #: a lane -> (the lane whose performers it stands for, those performers)
        self._by_lane: dict[_Key, tuple[str, tuple[str, ...]]] = {}
        for key in lanes:
            found = _nearest(key, lanes, parents)
            if found is not None:
                self._by_lane[key] = found
        #: activity Id -> (its process, its graphics) for each activity of that Id: which
        #: process's pools an activity asked about is drawn in (see :meth:`_processes`; the
        #: graphics are held here, so an identity test on them is sound)
        self._held: dict[str, list[tuple[str, tuple[XmlNode, ...]]]] = {}
        if self._by_lane:
            for process in package.workflow_processes:
                scopes_of: tuple[WorkflowProcess | ActivitySet, ...] = (
                    process,
                    *process.activity_sets,
                )
                for scope in scopes_of:
                    for a in scope.activities:
                        self._held.setdefault(a.id, []).append((process.id, a.graphics))

    def lane_of(self, activity: Activity) -> tuple[str, tuple[str, ...]] | None:
        """The lane ``activity`` is drawn in that names performers (its own lane or the
        nearest around it), with those performers; None when it is in no such lane. A lane
        Id several pools have names the lane of the pool that draws the activity's process
        (:class:`~wfengine.definition.lane_scopes.LaneScopes`)."""
        if not self._by_lane:
            return None
        processes: tuple[str, ...] | None = None
        for info in activity.graphics:
            lane_id = names_lane(info)
            if lane_id is None or lane_id not in self._scopes.first:
                continue
            if processes is None:
                processes = self._processes(activity)
            pool = self._scopes.in_process(lane_id, processes)
            found = self._by_lane.get((pool, lane_id)) if pool is not None else None
            if found is not None:
                return found
        return None

    def _processes(self, activity: Activity) -> tuple[str, ...]:
        """The processes ``activity`` may be of, surest first: the one holding it (its
        graphics the very same tuple: so too the compiler's copy of a Reference activity,
        which keeps them), else those holding an activity of its Id drawn as it is, else
        those holding its Id at all. A look-up by value alone could not tell apart two
        processes holding the same activity drawn the same way (copied processes do)."""
        held = self._held.get(activity.id, [])
        for same in (
            [p for p, graphics in held if graphics is activity.graphics],
            [p for p, graphics in held if graphics == activity.graphics],
        ):
            if same:
                return tuple(dict.fromkeys(same))
        return tuple(dict.fromkeys(p for p, _ in held))

    def given(
        self, activity: Activity, named: Mapping[str, Activity] | None = None
    ) -> tuple[str, tuple[str, ...]] | None:
        """The lane whose performers ``activity`` has at run time, with those performers;
        None when it names its own, may not wait for a person, or is in no such lane.

        ``named`` (the process's activities by id, its activity sets' included) lets a
        Reference activity not yet resolved be judged as the runtime compiles it: by the
        activity it names (that one's body, and its performers where it names none)."""
        judged = as_referenced(activity, named) if named else activity
        if judged.performers:
            return None
        found = self.lane_of(activity)
        # judged with the lane's performers: a script task in a lane naming performers may
        # wait for one of them (semantics.md: one naming no performer, in itself or its lane,
        # runs at once)
        if found is None or not can_wait_for_a_person(judged, performers=True):
            return None
        return found

    def applied(self, activity: Activity) -> Activity:
        """``activity`` with its lane's performers when it names none and may wait for a
        person (see the module notes); ``activity`` itself otherwise."""
        return self.shown(activity)[0]

    def shown(
        self, activity: Activity, named: Mapping[str, Activity] | None = None
    ) -> tuple[Activity, str | None]:
        """``activity`` as ``show``, ``render`` and the simulation must present it: with the
        performers it has at run time (its lane's, :meth:`given`; a Reference's, those of the
        activity it names when it names none), and the id of the lane they come from (None
        when they are not its lane's)."""
        found = self.given(activity, named)
        if found is not None:
            return activity.model_copy(update={"performers": found[1]}), found[0]
        if named and not activity.performers:
            performers = as_referenced(activity, named).performers
            if performers:
                return activity.model_copy(update={"performers": performers}), None
        return activity, None


def as_referenced(activity: Activity, named: Mapping[str, Activity]) -> Activity:
    """A Reference activity with the body of the activity it (finally) names and that one's
    performers where it names none, as the runtime compiler resolves it before the lane
    rule; ``activity`` itself when it is no reference, or names none that exists (deploying
    refuses it) or leads round in a circle."""
    seen = {activity.id}
    found = activity
    while isinstance(found.body, ReferenceImplementation):
        target = named.get(found.body.activity_id)
        if target is None or target.id in seen:
            return activity
        seen.add(target.id)
        found = target
    if found is activity:
        return activity
    performers = activity.performers or found.performers
    return activity.model_copy(update={"body": found.body, "performers": performers})


def _nested_lanes(lane: Lane) -> list[str]:
    """The lanes ``lane`` lists as ``NestedLane`` (XPDL 2.1, kept verbatim in its extras)."""
    return [
        lane_id
        for x in lane.extras
        if x.local_name == "NestedLane" and (lane_id := (x.get("LaneId") or "").strip())
    ]


def _link(
    parents: dict[_Key, _Key],
    child: _Key,
    parent_id: str,
    in_pool: Callable[[str, int], int | None],
    *,
    keep: bool = False,
) -> None:
    """Record that ``child`` is drawn in the lane ``parent_id`` names from ``child``'s pool;
    ``keep``: unless it already has a parent (a ParentLane wins over a NestedLane listing)."""
    pool = in_pool(parent_id, child[0])
    if pool is not None and not (keep and child in parents):
        parents[child] = (pool, parent_id)


def _nearest(
    key: _Key, lanes: Mapping[_Key, Lane], parents: Mapping[_Key, _Key]
) -> tuple[str, tuple[str, ...]] | None:
    """The nearest lane from ``key`` outwards that names performers (a nesting that leads
    round in a circle, which a hand-edited file may have, ends where it would repeat)."""
    seen: set[_Key] = set()
    current: _Key | None = key
    while current is not None and current not in seen and current in lanes:
        seen.add(current)
        performers = tuple(p.strip() for p in lanes[current].performers if p.strip())
        if performers:
            return current[1], performers
        current = parents.get(current)
    return None
