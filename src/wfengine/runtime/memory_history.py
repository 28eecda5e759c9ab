"""What the memory store keeps of an instance's history outside the instance: the closed
activity instances and the trace entries each commit takes out of it
(:func:`~wfengine.runtime.instance.retire`).

Each activity instance is kept as its plain values (:data:`Kept`), one after the other in one
list per instance, not as the object the navigator worked on, nor as a tuple per instance.
Why: the garbage collector scans every container object that stays alive, and its full
passes come more often the more of them a run leaves behind. An activity instance (and its
lists) kept for ever had the collector rescan every activity instance a memory store ever had
(a 100-activity chain ran 295,000 activities/s, 515,000 once its history was kept as tuples);
a tuple per activity instance still counted towards the next full pass (keeping the fields
flat took an in-memory run of 100-activity instances from 63,000 to 73,000 activities/s).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, get_args

from wfengine.runtime.instance import ProcessInstance, retire
from wfengine.runtime.packed_log import PACK_AT, Log, pack
from wfengine.runtime.snapshots import ActivityInstanceSnapshot
from wfengine.runtime.states import ActivityState, ProcessState

#: the fields of a retired activity instance: id, activity id, state, started, completed,
#: iterations, multi-instance index, work item, subflow, incident, performer, multi-instance
#: container (the fields of :class:`~wfengine.runtime.snapshots.ActivityInstanceSnapshot` but
#: its instance id and what an open one waits for, in order)
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
    str | None,
]
_KEPT_FIELDS = len(get_args(Kept))


#: each state's text, as a retired activity instance keeps it
_TEXT = {state: state.value for state in ActivityState}
#: the closed process states, read once (``is_closed`` is a property call per commit)
_CLOSED = frozenset(state for state in ProcessState if state.is_closed)


def _sealed(logs: dict[str, Log | tuple[Any, ...]], instance_id: str) -> None:
    """Keep the log of a closed instance, a list while short, as a tuple. Why: the garbage
    collector tracks every list for as long as it lives, and rescans it on each full pass,
    which comes sooner the more such objects a run leaves behind; a tuple of plain values
    (text, times, numbers, None) it stops tracking at its first look. A closed instance's log
    rarely grows again; one that does is a list again first."""
    log = logs.get(instance_id)
    if type(log) is list:
        logs[instance_id] = tuple(log)


class MemoryHistory:
    """The history of every instance of one memory store."""

    def __init__(self) -> None:
        #: per instance, the fields of its retired activity instances (:data:`Kept`), flat
        #: (a long run's packed as they grow: see :mod:`wfengine.runtime.packed_log`; a
        #: closed instance's a tuple: see :func:`_sealed`)
        self._retired: dict[str, Log | tuple[Any, ...]] = {}
        self._traces: dict[str, Log | tuple[Any, ...]] = {}

    def take(self, inst: ProcessInstance) -> None:
        """At a commit of ``inst``: take its trace entries and closed activity instances.
        Those of a closed instance are sealed (:func:`_sealed`)."""
        iid = inst.id
        trace = inst.trace
        if trace:
            known = self._traces.get(iid)
            if known is None:
                self._traces[iid] = trace
            else:
                if isinstance(known, tuple):  # sealed, and changed again (see _sealed)
                    known = self._traces[iid] = list(known)
                known.extend(trace)
                if len(known) >= PACK_AT:
                    self._traces[iid] = pack(known)
            inst.trace_base += len(trace)
            inst.trace = []
        retired = retire(inst)
        if retired:
            fields = self._retired.get(iid)
            if fields is None:
                self._retired[iid] = fields = []
            elif isinstance(fields, tuple):
                fields = self._retired[iid] = list(fields)
            add = fields.extend
            for ai in retired:  # its :data:`Kept` fields, written out (a call each before)
                parent = ai.mi_parent
                add(
                    (
                        ai.id,
                        ai.act.id,
                        _TEXT[ai.state],  # (plain text: an enum member is tracked)
                        ai.started_at,
                        ai.completed_at,
                        ai.iterations,
                        ai.mi_index,
                        ai.work_item,
                        ai.child_instance,
                        ai.incident,
                        ai.performer,
                        None if parent is None else parent.id,
                    )
                )
            if len(fields) >= PACK_AT:
                self._retired[iid] = pack(fields)
        if inst.state in _CLOSED:
            _sealed(self._traces, iid)
            _sealed(self._retired, iid)

    def activities(self, instance_id: str) -> list[ActivityInstanceSnapshot]:
        # the kept fields are the snapshot's, in its order, but the instance id (and what an
        # open one waits for: a closed one waits for nothing)
        log = self._retired.get(instance_id)
        fields = iter(log if log is not None else ())
        return [
            ActivityInstanceSnapshot(
                k[0],
                instance_id,
                k[1],
                ActivityState(k[2]),
                k[3],
                k[4],
                k[5],
                k[6],
                k[7],
                k[8],
                k[9],
                k[10],
                mi_parent_id=k[11],
            )
            for k in zip(*[fields] * _KEPT_FIELDS, strict=True)
        ]

    def trace(self, inst: ProcessInstance) -> list[str]:
        return [*self._traces.get(inst.id, ()), *inst.trace]
