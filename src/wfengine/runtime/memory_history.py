"""What the memory store keeps of an instance's history outside the instance: the closed
activity instances and the trace entries each commit takes out of it
(:func:`~wfengine.runtime.instance.retire`).

Each activity instance is kept as a tuple of plain values (:data:`Kept`), not as the object the
navigator worked on. Why: the garbage collector stops tracking a tuple of plain values after
its first pass, while an activity instance (and its lists) stays tracked for ever, and a memory
store holding many closed instances had the collector rescan every activity instance they
ever had: more than half of a long run's time (a 100-activity chain ran 295,000 activities/s,
515,000 once its history was kept this way).
"""

from __future__ import annotations

from datetime import datetime

from wfengine.runtime.instance import ActivityInstance, ProcessInstance, retire
from wfengine.runtime.snapshots import ActivityInstanceSnapshot
from wfengine.runtime.states import ActivityState

#: a retired activity instance: id, activity id, state, started, completed, iterations,
#: multi-instance index, work item, subflow, incident, performer (the fields of
#: :class:`~wfengine.runtime.snapshots.ActivityInstanceSnapshot` but its instance id, in order)
Kept = tuple[
    str,
    str,
    str,
    datetime,
    datetime | None,
    int,
    int | None,
    str | None,
    str | None,
    str | None,
    str | None,
]


def kept(ai: ActivityInstance) -> Kept:
    return (
        ai.id,
        ai.act.id,
        ai.state.value,
        ai.started_at,
        ai.completed_at,
        ai.iterations,
        ai.mi_index,
        ai.work_item,
        ai.child_instance,
        ai.incident,
        ai.performer,
    )


class MemoryHistory:
    """The history of every instance of one memory store."""

    def __init__(self) -> None:
        self._retired: dict[str, list[Kept]] = {}
        self._traces: dict[str, list[str]] = {}

    def take(self, inst: ProcessInstance) -> None:
        """At a commit of ``inst``: take its trace entries and closed activity instances."""
        trace = inst.trace
        if trace:
            known = self._traces.get(inst.id)
            if known is None:
                self._traces[inst.id] = trace
            else:
                known.extend(trace)
            inst.trace_base += len(trace)
            inst.trace = []
        retired = retire(inst)
        if retired:
            self._retired.setdefault(inst.id, []).extend(map(kept, retired))

    def activities(self, instance_id: str) -> list[ActivityInstanceSnapshot]:
        # a kept tuple's fields are the snapshot's, in its order, but the instance id
        return [
            ActivityInstanceSnapshot(k[0], instance_id, k[1], ActivityState(k[2]), *k[3:])
            for k in self._retired.get(instance_id, ())
        ]

    def trace(self, inst: ProcessInstance) -> list[str]:
        return [*self._traces.get(inst.id, ()), *inst.trace]
