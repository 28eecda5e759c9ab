"""What ``show`` and ``render`` both say about how a definition runs, beyond an activity's
kind: where a block enters its activity set, which sets an event starts (event
sub-processes), and which activities run more than once.

Apart from :mod:`wfengine.definition.render` so both read one answer, the one the runtime
compiler acts on (its start rule is :func:`~wfengine.definition.graph.start_ids`; an event
sub-process is a set with ``TriggeredByEvent="true"``): a summary or picture that disagreed
with the engine sent a modeller looking for a fault in the wrong place.
"""

from __future__ import annotations

from wfengine.definition.graph import activity_of, process_graph, start_ids
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    BlockActivity,
    Event,
    MIOrdering,
    MultiInstanceLoop,
    StandardLoop,
    WorkflowProcess,
)


def block_entries(
    process: WorkflowProcess, block: BlockActivity, activity_set: ActivitySet
) -> list[str]:
    """The ids of the activities where the engine enters ``activity_set`` from ``block``: the
    block's StartActivityId, else the set's DefaultStartActivityId, else the set's start
    activities by :func:`~wfengine.definition.graph.start_ids` (its start events, else those
    with no way in), the rule the runtime compiler follows. Why not the set's first activity:
    TIBCO and JaWE often list a set's end first, and the drawing then led into the end.
    A named start the set does not hold gives none (the compiler refuses it)."""
    named = block.start_activity_id or activity_set.default_start_activity_id
    if named is not None:
        return [named] if any(a.id == named for a in activity_set.activities) else []
    return start_ids(process_graph(process, activity_set))


def is_event_subprocess(activity_set: ActivitySet) -> bool:
    """Is ``activity_set`` an event sub-process (``TriggeredByEvent="true"``, as the engine
    reads it): its start event's trigger starts it, never a transition?"""
    return dict(activity_set.extra_attrs).get("TriggeredByEvent", "false") == "true"


def event_subprocess_start(process: WorkflowProcess, activity_set: ActivitySet) -> Event | None:
    """The start event that triggers an event sub-process: the first of its start activities
    (:func:`~wfengine.definition.graph.start_ids`) with a trigger; None for a set that is no
    event sub-process or has no triggered start (the engine never arms one)."""
    if not is_event_subprocess(activity_set):
        return None
    graph = process_graph(process, activity_set)
    for node in start_ids(graph):
        event = activity_of(graph, node).event
        if event is not None and event.trigger not in ("None", ""):
            return event
    return None


def repeat_marker(activity: Activity) -> str:
    """BPMN's marker for an activity that runs more than once, as text: ``↻ loop`` for a
    Standard loop, ``||| parallel`` / ``≡ sequential`` for a multi-instance one; "" else."""
    loop = activity.loop
    if isinstance(loop, StandardLoop):
        return "\u21bb loop"
    if isinstance(loop, MultiInstanceLoop):
        if loop.ordering is MIOrdering.SEQUENTIAL:
            return "\u2261 sequential"
        return "||| parallel"
    return ""
