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
  ``NestedLane``, as 2.1 and JaWE do), else none;
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

from collections.abc import Mapping

from wfengine.definition.model import Activity, Lane, Package, ReferenceImplementation
from wfengine.definition.modes import can_wait_for_a_person


class LanePerformers:
    """The performers each lane of a package stands for (nesting resolved once)."""

    def __init__(self, package: Package) -> None:
        lanes = {lane.id: lane for pool in package.pools for lane in pool.lanes}
        #: lane id -> the lane it is drawn in (ParentLane first, then a NestedLane listing)
        parents: dict[str, str] = {}
        for lane in lanes.values():
            if lane.parent_lane:
                parents[lane.id] = lane.parent_lane
        for lane in lanes.values():
            for nested in _nested_lanes(lane):
                parents.setdefault(nested, lane.id)
        #: lane id -> (the lane whose performers it stands for, those performers)
        self._by_lane: dict[str, tuple[str, tuple[str, ...]]] = {}
        for lane_id in lanes:
            found = _nearest(lane_id, lanes, parents)
            if found is not None:
                self._by_lane[lane_id] = found

    def lane_of(self, activity: Activity) -> tuple[str, tuple[str, ...]] | None:
        """The lane ``activity`` is drawn in that names performers (its own lane or the
        nearest around it), with those performers; None when it is in no such lane."""
        if not self._by_lane:
            return None
        for info in activity.graphics:
            lane_id = info.get("LaneId")
            if lane_id is not None and lane_id in self._by_lane:
                return self._by_lane[lane_id]
        return None

    def given(
        self, activity: Activity, named: Mapping[str, Activity] | None = None
    ) -> tuple[str, tuple[str, ...]] | None:
        """The lane whose performers ``activity`` has at run time, with those performers;
        None when it names its own, may not wait for a person, or is in no such lane.

        ``named`` (the process's activities by id, its activity sets' included) lets a
        Reference activity not yet resolved be judged as the runtime compiles it: by the
        activity it names (that one's body, and its performers where it names none)."""
        judged = _as_referenced(activity, named) if named else activity
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
            performers = _as_referenced(activity, named).performers
            if performers:
                return activity.model_copy(update={"performers": performers}), None
        return activity, None


def _as_referenced(activity: Activity, named: Mapping[str, Activity]) -> Activity:
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


def _nearest(
    lane_id: str, lanes: dict[str, Lane], parents: dict[str, str]
) -> tuple[str, tuple[str, ...]] | None:
    """The nearest lane from ``lane_id`` outwards that names performers (a nesting that leads
    round in a circle, which a hand-edited file may have, ends where it would repeat)."""
    seen: set[str] = set()
    current: str | None = lane_id
    while current is not None and current not in seen and current in lanes:
        seen.add(current)
        performers = tuple(p.strip() for p in lanes[current].performers if p.strip())
        if performers:
            return current, performers
        current = parents.get(current)
    return None
