"""The in-memory store: for tests, simulation and the fastest embedded use.

It keeps the engine's own record objects (no copies, no serialisation), so committing a step
only moves the instances' pending changes into the audit trail and updates a few indexes; a
unit of work needs no identity map because every read returns the one live object. Jobs
(timers included) sit in a dict with a heap ordered by (due, creation) beside it
(:mod:`~wfengine.runtime.memory_jobs`). Nothing
survives the process; use :class:`~wfengine.runtime.sql.store.SqlStore` for that.
"""

from __future__ import annotations

import bisect
import dataclasses
import heapq
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from itertools import chain
from typing import Any, ClassVar, NoReturn

from wfengine.errors import ConcurrencyError, EngineInUseError, NotFoundError, StoreError
from wfengine.runtime.audit_query import AuditQuery
from wfengine.runtime.audit_query import key as audit_key
from wfengine.runtime.clock import require_aware
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.ids import IdGenerator, SequentialIds
from wfengine.runtime.instance import (
    Change,
    Incident,
    ProcessInstance,
    Timer,
    WorkItem,
)
from wfengine.runtime.jobs import JOB_TIMER, Job, job_timer, lease_free, reminds_of, timer_job
from wfengine.runtime.memory_history import MemoryHistory
from wfengine.runtime.memory_ids import listed as _listed
from wfengine.runtime.memory_ids import listing_order as _order
from wfengine.runtime.memory_ids import refuse_taken_ids
from wfengine.runtime.memory_jobs import MemoryJobs
from wfengine.runtime.memory_times import (
    refuse_naive,
    utc,
    utc_changes,
    utc_instance,
    utc_item,
    utc_job,
)
from wfengine.runtime.memory_turn import TURN_TIMEOUT, StoreTurn
from wfengine.runtime.outbox_memory import MemoryOutbox
from wfengine.runtime.outbox_store import StoreOutbox
from wfengine.runtime.packed_log import PACK_AT, Log, pack
from wfengine.runtime.snapshots import (
    ActivityInstanceSnapshot,
    InstanceSummary,
    summarise,
)
from wfengine.runtime.states import P_RUNNING, P_SUSPENDED, ProcessState, WorkItemState
from wfengine.runtime.store import AuditEvent, Step, TrailReads
from wfengine.runtime.values import correlation_value, owned

_flatten = chain.from_iterable

#: the open work item states (``WorkItemState.is_open``), read once: a commit asks it of every
#: item it stores, a property call each before
_OPEN_ITEMS = frozenset(state for state in WorkItemState if state.is_open)

#: read once (an enum member is a class attribute look-up through the enum's metaclass, some
#: 90 ns on Python 3.11: a commit's filing of each item and a listing's marks ask one)
_OFFERED = WorkItemState.OFFERED


def _events(log: Log) -> Iterable[Change]:
    """The change tuples of an instance's flat audit log (see ``MemoryStore._audit``)."""
    fields = iter(log)
    return zip(fields, fields, fields, fields, fields, strict=True)


def _worklist_order(item: WorkItem) -> tuple[datetime, str]:
    return (item.created_at, item.id)


class MemoryStore(StoreOutbox, TrailReads):
    """The store of :class:`~wfengine.runtime.engine.Engine` when none is given: everything
    in this process's memory, gone when it ends.

    For tests, simulation and embedded uses that need no durability; the fastest store (a
    commit applies the step's objects, nothing is encoded). It answers every query as the SQL
    store does, and refuses the same values (:mod:`wfengine.runtime.values`), so a program
    tested on it behaves the same on a database. One process only: engines sharing the work
    across processes need :class:`~wfengine.runtime.sql.store.SqlStore`.

    Reads from another thread while a command runs (a web page listing instances while a
    worker thread runs jobs) work: each listing goes over a copy of the store's index taken
    at once (``list(...)`` of a dict, which the GIL makes one step), never the index a commit
    is adding to (that raised ``RuntimeError: dictionary changed size during iteration``).
    What it lists are the live records, so it may show part of the running command's
    changes: the memory store has no isolation (commands themselves are one at a time per
    engine: a second one, from any thread, is an ``EngineInUseError``).
    """

    _outbox: MemoryOutbox
    #: gone when its process ends, so no command runs again on what it stored after a crash:
    #: its calls' idempotency keys need no origin that says what the command is
    #: (:attr:`~wfengine.runtime.engine_base.EngineBase.command_origin`)
    outlives_process = False

    def __init__(self, *, turn_timeout: float | None = TURN_TIMEOUT) -> None:
        self._deployments: dict[str, list[DeployedProcess]] = {}
        self._instances: dict[str, ProcessInstance] = {}
        self._work_items: dict[str, WorkItem] = {}
        self._open_items: dict[str, WorkItem] = {}
        #: the open items of each instance (an instance's work items are one look-up, however
        #: many items other instances have open)
        self._open_of: dict[str, dict[str, WorkItem]] = {}
        #: the worklist index: user -> the open items offered to them (unclaimed) or held
        #: by them, and per item the users it is filed under
        self._by_user: dict[str, dict[str, WorkItem]] = {}
        self._filed: dict[str, tuple[str, ...]] = {}
        self._jobs = MemoryJobs(self._runnable)
        #: per instance, the fields of the change tuples the navigator wrote, one after the
        #: other (append-only; :func:`_events` gives the tuples back). Why flat: a store
        #: that kept every tuple kept four objects per activity for the collector to count,
        #: and the collector's full passes, which these counts trigger, took a fifth of a
        #: long in-memory run (and a long log is packed as it grows: see PackedLog)
        self._audit: dict[str, Log] = {}
        #: the last audit read without its page bounds: (_audit_gen then, query, events, keys)
        self._audit_read: tuple[int, AuditQuery, list[AuditEvent], list[Any]] | None = None
        self._audit_gen = 0  # changes to the trail: a read that overlapped one is not used
        #: a commit appends its entries to ``_outbox.new``; the outbox numbers them when asked
        self._outbox = MemoryOutbox()
        #: every incident of a committed instance, by id (the instances' own records)
        self._incidents: dict[str, Incident] = {}
        #: the closed activity instances and trace entries commits took out of instances
        self._history = MemoryHistory()
        #: one id sequence for every engine on this store (each taking its own handed out
        #: pi-1 twice, and the second instance replaced the first)
        self._ids = SequentialIds()
        #: a record with a time not in UTC was stored: from then on each commit turns its
        #: records' times into UTC (:mod:`~wfengine.runtime.memory_times`)
        self._zoned = False
        #: the store's turn (engines of several threads: see unit())
        self._turn = StoreTurn(turn_timeout)

    #: the records are the live ones, changed in place, and a failed command is not undone:
    #: a call stopped by SystemExit or Ctrl-C commits its incident before the stop is raised
    #: again (:mod:`wfengine.runtime.call_stops`), where a database rolls the command back
    changes_in_place: ClassVar[bool] = True

    def unit(self) -> AbstractContextManager[object]:
        """The store's turn (:mod:`~wfengine.runtime.memory_turn`), re-entrant: engines sharing
        the store in other threads wait (two commands at once both won one claim of a work
        item); reads take none, and an engine's own command lock is only tried without
        waiting. A command held for ``turn_timeout`` seconds (``MemoryStore(turn_timeout=)``,
        10 by default; None: no limit) by another engine's command is refused,
        :class:`~wfengine.errors.EngineInUseError`, nothing changed: an application that
        waits for a command of another engine on this store waited for ever before (the
        turn is held for the whole command, its calls included). No rollback: the records
        are the live ones, changed in place; a copy of every instance a command reads, kept
        to put it back, cost a third of a short command (W4). Applications, expressions and
        the host's directory fail into incidents, an application's ``SystemExit`` or Ctrl-C
        too (:mod:`~wfengine.runtime.call_stops`); an exception that still escapes is a bug,
        and leaves the command's changes as far as it got."""
        return self._turn

    @property
    def turn_lock(self) -> threading.RLock:
        """The re-entrant lock under :meth:`unit`: an engine's command takes it without
        waiting (one call, where ``with unit()`` made three) and enters :meth:`unit` only when
        another thread holds it, to wait with the limit."""
        return self._turn._lock

    def id_generator(self) -> IdGenerator:
        """The store's one id sequence: engines sharing this store never hand out one id
        twice."""
        return self._ids

    def close(self) -> None:
        pass

    def transaction(self, fn: Callable[[Any], object], *, write: bool = True) -> NoReturn:
        """Refused (:meth:`Store.transaction <wfengine.runtime.store.Store.transaction>`):
        a host's tables need a database, and this store is this process's memory."""
        raise StoreError(
            "engine.store.transaction(fn) runs fn in the store's database, and this engine's "
            "store is in memory (no db_url): give Engine a database, Engine(db_url="
            "'sqlite:///app.db'), to keep your own tables beside the engine's"
        )

    # -- deployments -------------------------------------------------------------------------

    def add_deployments(self, deployed: Sequence[DeployedProcess]) -> None:
        for d in deployed:
            self._deployments.setdefault(d.process_id, []).append(d)

    def deployment(self, process_id: str, version: int | None = None) -> DeployedProcess | None:
        versions = self._deployments.get(process_id)
        if not versions:
            return None
        if version is None:
            return versions[-1]
        return next((d for d in versions if d.version == version), None)

    def versions(self, process_id: str) -> list[int]:
        return [d.version for d in self._deployments.get(process_id, ())]

    def deployed_process_ids(self) -> list[str]:
        return list(self._deployments)

    def deployed_versions(self) -> dict[str, list[int]]:
        return {p: self.versions(p) for p in self.deployed_process_ids()}

    # -- instances -----------------------------------------------------------------------------

    def instance(self, instance_id: str) -> ProcessInstance:
        try:
            return self._instances[instance_id]
        except KeyError:
            raise NotFoundError("process instance", instance_id) from None

    def instances(
        self, *, state: ProcessState | None = None, process_id: str | None = None
    ) -> Iterable[ProcessInstance]:
        return _listed(
            i
            for i in list(self._instances.values())  # (a copy: see the class notes)
            if (state is None or i.state is state) and (process_id in (None, i.process_id))
        )

    def instance_summaries(
        self,
        *,
        state: ProcessState | None = None,
        process_id: str | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> list[InstanceSummary]:
        # (a copy of the index, as of one moment: a command in another thread may be adding
        # to it; see the class notes)
        at = None
        if after is not None:
            if after not in self._instances:
                raise NotFoundError("process instance", after)
            at = _order(self._instances[after])
        found = (
            i
            for i in list(self._instances.values())
            if (state is None or i.state is state)
            and process_id in (None, i.process_id)
            and (at is None or _order(i) > at)
        )
        # a page is the first ``limit`` of them, not a slice of all of them sorted
        page = _listed(found) if limit is None else heapq.nsmallest(limit, found, key=_order)
        return [summarise(i) for i in page]

    def instance_summary(self, instance_id: str) -> InstanceSummary:
        return summarise(self.instance(instance_id))

    def activity_history(self, instance_id: str) -> list[ActivityInstanceSnapshot]:
        self.instance(instance_id)  # NotFoundError for an unknown id
        return self._history.activities(instance_id)

    def trace(self, instance_id: str) -> list[str]:
        return self._history.trace(self.instance(instance_id))

    # -- incidents -------------------------------------------------------------------------------

    def open_incidents(self, instance_id: str | None = None) -> list[Incident]:
        """Open incidents in creation order, as the SQL store lists them (its
        ``(created_at, length(id), id)``): kept by id, they came out in the order each was
        first filed, so one opened in a subflow's command before its parent's came first."""
        found = [
            i
            for i in list(self._incidents.values())
            if not i.resolved and instance_id in (None, i.instance_id)
        ]
        found.sort(key=lambda i: (i.created_at, len(i.id), i.id))
        return found

    def incident_instance_id(self, incident_id: str) -> str | None:
        found = self._incidents.get(incident_id)
        return None if found is None else found.instance_id

    # -- work items and timers -----------------------------------------------------------------

    def work_item(self, work_item_id: str) -> WorkItem:
        try:
            return self._work_items[work_item_id]
        except KeyError:
            raise NotFoundError("work item", work_item_id) from None

    def open_work_items(self, instance_id: str | None = None) -> list[WorkItem]:
        if instance_id is None:
            return _listed(self._open_items.values())
        mine = self._open_of.get(instance_id)
        if mine is None:
            if instance_id not in self._instances:
                raise NotFoundError("process instance", instance_id)
            return []
        return _listed(mine.values())

    def suspended_among(self, instance_ids: Collection[str]) -> set[str]:
        instances = self._instances
        found = set()  # (a loop: a set comprehension cost twice as much for one instance)
        for i in instance_ids:
            inst = instances.get(i)
            if inst is not None and inst.state is P_SUSPENDED:
                found.add(i)
        return found

    def worklist(
        self,
        user: str,
        *,
        state: WorkItemState | None = None,
        process_id: str | None = None,
        after: tuple[datetime, str] | None = None,
        limit: int | None = None,
    ) -> list[WorkItem]:
        found = (
            w
            for w in list(self._by_user.get(user, {}).values())
            if (state is None or w.state is state)
            and (after is None or (w.created_at, w.id) > after)
            and (process_id is None or self._instances[w.instance_id].process_id == process_id)
        )
        if limit is None:
            return sorted(found, key=_worklist_order)
        return heapq.nsmallest(limit, found, key=_worklist_order)  # (a page: not all sorted)

    def _file(self, item: WorkItem) -> None:
        """Keep the worklist index of ``item`` up to date after a change."""
        for user in self._filed.pop(item.id, ()):
            mine = self._by_user[user]
            del mine[item.id]
            if not mine:
                del self._by_user[user]
        state = item.state
        if state is _OFFERED:
            users: tuple[str, ...] = tuple(dict.fromkeys(item.assignees))
        elif state in _OPEN_ITEMS and item.holder is not None:
            users = (item.holder,)
        else:
            return
        self._filed[item.id] = users
        for user in users:
            self._by_user.setdefault(user, {})[item.id] = item

    def timers(self, instance_id: str | None = None) -> list[Timer]:
        return [job_timer(j) for j in self.jobs(instance_id) if j.kind == JOB_TIMER]

    # -- jobs ------------------------------------------------------------------------------------

    def job(self, job_id: str) -> Job | None:
        return self._jobs.by_id.get(job_id)

    def jobs(self, instance_id: str | None = None) -> list[Job]:
        return self._jobs.listed(instance_id)

    def last_job_seq(self) -> int:
        return self._jobs.last_seq()

    def _runnable(self, job: Job) -> bool:
        inst = self._instances.get(job.instance_id)
        return inst is not None and inst.state is P_RUNNING

    def claim_jobs(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Sequence[str] | None = None,
        instances: Collection[str] | None = None,
    ) -> list[Job]:
        try:
            with self._turn:  # (two engines' threads claiming at once each won the same job)
                return self._jobs.claim(owner, now, lease_until, limit, kinds, instances)
        except EngineInUseError:  # held past the turn's limit: none now, the jobs stay due
            return []

    def renew_leases(self, owner: str, job_ids: Iterable[str], lease_until: datetime) -> list[str]:
        return self._jobs.renew(owner, job_ids, lease_until)

    def release_job(self, job_id: str, owner: str, due: datetime | None = None) -> None:
        job = self._jobs.by_id.get(job_id)
        if job is None or job.lock_owner != owner:
            return
        job.lock_owner = None
        job.lock_expires_at = None
        if due is None:  # given back unrun: its claim was no attempt (see JobQueue.release)
            job.attempts = max(job.attempts - 1, 0)
        elif due != job.due:
            self._jobs.requeue(job, utc(require_aware(due)))

    def has_due_jobs(self, now: datetime, *, leased: bool = False) -> bool:
        return any(leased or lease_free(j, now) for j in self._jobs.due(now))

    def next_due_at(self) -> datetime | None:
        return self._jobs.next_due_at()

    def first_due_after(self, after: datetime) -> datetime | None:
        return self._jobs.first_due_after(after)

    # -- audit and outbox ------------------------------------------------------------------------

    def audit(self, instance_id: str) -> list[AuditEvent]:
        inst = self._instances.get(instance_id)
        process_id = None if inst is None else inst.process_id
        return [
            AuditEvent(n, at, instance_id, kind, aid, act_id, owned(detail), process_id)
            for n, (at, kind, aid, act_id, detail) in enumerate(
                _events(self._audit.get(instance_id, [])), 1
            )
        ]

    def open_at(self, process_id: str, activity_ids: Collection[str]) -> list[str]:
        found = (
            inst
            for inst in list(self._instances.values())
            if inst.process_id == process_id
            and inst.state.is_open
            and any(
                ai.state.is_open and ai.act.id in activity_ids
                for ai in list(inst.activities.values())
            )
        )
        return [inst.id for inst in _listed(found)]  # (sorted after the filter, not before)

    def correlated(self, keys: Mapping[str, Any]) -> list[str]:
        # as the SQL store's index compares: the values' stored forms (10.0 is not 10, True
        # is not 1), and a key without a value (None) is not in the index. ``==`` first, as
        # the cheap look; a NaN equals nothing, not even itself, but its form is its form
        # (SQLite and PostgreSQL found an instance by it, this store did not)
        wanted = {k: correlation_value(v) for k, v in keys.items()}
        unequal = {k for k, v in keys.items() if _holds_nan(v)}
        found = (
            inst
            for inst in list(self._instances.values())
            if inst.state.is_open
            and set(keys) <= set(inst.compiled.correlation_keys)
            and all(
                (held := inst.data.get(k)) is not None
                and (held == keys[k] or k in unequal)
                and correlation_value(held) == form
                for k, form in wanted.items()
            )
        )
        return [inst.id for inst in _listed(found)]  # (sorted after the filter, not before)

    def audit_events(self, query: AuditQuery) -> list[AuditEvent]:
        # A reader pages through the trail (``iter_events``): the filtered, ordered events
        # are kept from one page to the next until a commit adds events, so each page is a
        # bisection, not another scan and sort of the whole trail.
        whole = dataclasses.replace(query, after=None, limit=None)
        gen = self._audit_gen  # (read first: a change ending after this makes it stale)
        read = self._audit_read
        if read is None or read[0] != gen or read[1] != whole:
            found = self._select_events(whole)
            read = self._audit_read = (gen, whole, found, [audit_key(e) for e in found])
        _, _, found, keys = read
        start = 0 if query.after is None else bisect.bisect_right(keys, query.after)
        page = found[start:] if query.limit is None else found[start : start + query.limit]
        # the kept events stay the store's: a reader gets copies of its page's details (a
        # host that edited one changed every later read, and the creator check reading it)
        return [e._replace(detail=owned(e.detail)) for e in page]

    def _select_events(self, query: AuditQuery) -> list[AuditEvent]:
        if query.instance_id is not None:
            logs = [query.instance_id] if query.instance_id in self._audit else []
        else:
            logs = list(self._audit)
        found = []
        for iid in logs:
            inst = self._instances.get(iid)
            if inst is None:  # created by the command running now: not stored yet
                continue
            process_id = inst.process_id
            if query.process_id is not None and process_id != query.process_id:
                continue
            for n, (at, kind, aid, act_id, detail) in enumerate(_events(self._audit[iid]), 1):
                event = AuditEvent(n, at, iid, kind, aid, act_id, detail, process_id)
                if query.matches(event):
                    found.append(event)
        found.sort(key=audit_key)
        return found

    # -- commit ----------------------------------------------------------------------------------

    def take_history(self, inst: ProcessInstance) -> None:
        """Take out of ``inst`` now what a commit takes: its audit events, its closed activity
        instances and its trace entries (the navigator calls this every
        :data:`~wfengine.runtime.navigation.agenda.TAKE_EVERY` steps of a long command).

        Why: until then they are live objects; in a run of thousands of steps the garbage
        collector promotes them to its old generation, whose full passes rescan everything
        there, and a loop of 100,000 iterations spent a third of its time in those passes.
        The memory store has nothing to roll back. What a reader can see: as reads of the
        memory store see its live instances, a trail read inside the command (by one of its
        applications) shows the events of a stored instance taken so far; those of an
        instance the command created show once its commit stores it.
        """
        changes = inst.changes
        # times in a zone: the first and the last change's tell (one command reads one
        # clock, whose zone stays; once one was seen every later one is converted, _zoned);
        # every tuple's cost a few per cent of a long automatic run, and a call of its own
        # per commit for the answer nearly always given, no
        if (
            self._zoned
            or inst.created_at.tzinfo is not UTC
            or (changes and (changes[0][0].tzinfo is not UTC or changes[-1][0].tzinfo is not UTC))
        ):
            self._zoned = True  # a clock in a zone: keep UTC, as the SQL stores return
            utc_instance(inst, changes)
            changes[:] = utc_changes(changes)
        self._history.take(inst)
        if changes:
            self._audit_read = None
            log = self._audit.get(inst.id)
            if log is None:
                self._audit[inst.id] = log = []
            log.extend(_flatten(changes))
            changes.clear()
            if len(log) >= PACK_AT:
                self._audit[inst.id] = pack(log)
            self._audit_gen += 1  # (after: a read that began before the events is not kept)

    def commit(self, step: Step) -> None:
        if step.timers_set or step.jobs or step.job_again_at is not None:
            refuse_naive(step)  # before anything is stored: the heap compares due times
        refuse_taken_ids(  # (before, too)
            self._instances, self._work_items, step, self._jobs.by_id, self._incidents
        )
        if step.job_done is not None:
            done = self._jobs.by_id.get(step.job_done)
            if done is None:
                raise ConcurrencyError(f"job {step.job_done!r} was already carried out")
            if step.job_again_at is None:
                self._jobs.drop(step.job_done)
            else:  # given back to run again later (an application call's retry)
                self._jobs.requeue(done, utc(step.job_again_at))
        self._audit_read = None  # the events a reader was paging through may change
        for inst in step.instances.values():
            self._instances[inst.id] = inst
            self.take_history(inst)
            if inst.incidents:
                for incident in inst.incidents.values():
                    self._incidents.setdefault(incident.id, incident)
        for item in step.work_items:
            if self._zoned or item.created_at.tzinfo is not UTC:
                utc_item(item)
            self._work_items[item.id] = item
            if item.state in _OPEN_ITEMS:
                self._open_items[item.id] = item
                self._open_of.setdefault(item.instance_id, {})[item.id] = item
            elif self._open_items.pop(item.id, None) is not None:
                mine = self._open_of[item.instance_id]
                del mine[item.id]
                if not mine:
                    del self._open_of[item.instance_id]
            self._file(item)
        if step.timers_cancelled or step.timers_set or step.jobs:
            self._commit_jobs(step)
        jobs = self._jobs
        if jobs.of:  # (a store with no job waiting has none to end: no look per record)
            for item in step.work_items:  # a closed item's reminders and escalation end with it
                if item.instance_id in jobs.of and item.state not in _OPEN_ITEMS:
                    jobs.drop_of(item.instance_id, partial(reminds_of, work_item_id=item.id))
            for inst in step.instances.values():
                if inst.id in jobs.of and inst.state.is_closed:
                    jobs.drop_of(inst.id)
        if step.outbox:
            self._outbox.new.extend(step.outbox)
        self._audit_gen += 1  # last: a read that began before the commit ended is not kept

    def _commit_jobs(self, step: Step) -> None:
        cancelled = set(step.timers_cancelled)
        for timer_id in cancelled:
            self._jobs.drop(timer_id)
        new_jobs = [timer_job(t) for t in step.timers_set if t.id not in cancelled]
        new_jobs.extend(step.jobs)
        for job in map(utc_job, new_jobs):
            self._jobs.add(job)


def _holds_nan(value: Any) -> bool:
    """Whether ``value`` is or holds (in a list, tuple or dict) a NaN, which ``==`` finds
    equal to nothing (:meth:`MemoryStore.correlated`)."""
    if isinstance(value, float):
        return value != value
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, list | tuple):
        return any(_holds_nan(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_nan(v) for v in value.values())
    return False
