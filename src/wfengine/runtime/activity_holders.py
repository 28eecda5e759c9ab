"""Which compiled activities hold an activity Id, when activity sets of a process repeat it.

Why a module of its own: XPDL scopes an activity's Id to its process or activity set, and
TIBCO files repeat one across sets (validation warns ``duplicate-id-scopes``). Each holder
is compiled as an activity of its own, with a :attr:`~.compiled.CActivity.key` of its own
(``<activity set Id>/<Id>``), but records that name only an Id (a closed work item, an
``invoke`` job, a closed activity instance) would otherwise
find the first compiled holder (:meth:`~.compiled.CompiledProcess.activity`), another
scope's activity with other applications, data rules and reminders.

Nothing here runs on a step: the table is built once per compiled process, the first time a
record asks, from every graph (:meth:`~.compiled.CompiledProcess.graphs`).
"""

from __future__ import annotations

from dataclasses import replace

from wfengine.runtime.compiled import CActivity, CDataAccess, CompiledProcess

#: activity Id -> its compiled activities, one per key
HoldersTable = dict[str, tuple[CActivity, ...]]


def holders(compiled: CompiledProcess, activity_id: str) -> tuple[CActivity, ...]:
    """Every compiled activity of Id ``activity_id`` in ``compiled``, one per
    :attr:`~.compiled.CActivity.key` (empty when it has none): one for nearly every Id,
    several for an Id activity sets repeat, of which :meth:`~.compiled.CompiledProcess.
    activity` gives the first compiled. What a caller reads of several is its choice. An Id
    no set repeats is answered without the table (nearly every process has none)."""
    if not (compiled.scoped_keys and activity_id in compiled.scoped_keys):
        act = compiled.activity(activity_id)
        return () if act is None else (act,)
    return _table(compiled).get(activity_id, ())


def _table(compiled: CompiledProcess) -> HoldersTable:
    """The holders of every activity Id of ``compiled``, made on the first question and kept
    on it: the top level's first, then those of each activity set as its blocks reach it
    (breadth first, in definition order). A set two blocks run is compiled twice, alike: its
    first graph stands for both. (Two threads asking at once both make it, alike.)"""
    found = compiled.holders_table
    if found is not None:
        return found
    keyed: dict[str, CActivity] = {}
    for graph in compiled.graphs():
        for act in graph.activities:
            keyed.setdefault(act.key, act)
    by_id: dict[str, tuple[CActivity, ...]] = {}
    for act in keyed.values():
        by_id[act.id] = (*by_id.get(act.id, ()), act)
    compiled.holders_table = by_id
    return by_id


def common_access(acts: tuple[CActivity, ...]) -> CDataAccess | None:
    """What a work item of whichever of ``acts`` (the holders of one Id) may read and
    write, when the record says only the Id (a closed item whose activity instance left the
    instance): what every holder allows, so another block's rule never shows more than the
    item's own. None: no holder has a rule (every field read, none written)."""
    accesses = [act.access for act in acts]
    first = next((access for access in accesses if access is not None), None)
    if first is None:
        return None
    reads: frozenset[str] | None = None
    writes: frozenset[str] | None = None
    for access in accesses:  # (None reads: every field)
        read = None if access is None else access.reads
        wrote = frozenset() if access is None else access.writes
        if reads is None:
            reads = read
        elif read is not None:
            reads &= read
        writes = wrote if writes is None else writes & wrote
    return replace(first, reads=reads, writes=writes or frozenset())
