"""The mutable run-time records of one process instance, as the navigator works on them.

These are internal: the engine hands out frozen snapshots (:mod:`wfengine.runtime.snapshots`)
so a caller can never change an instance behind the engine's back.

Bookkeeping that makes a step O(1): every scope (the instance's top level, or an activity set
run by a block activity) keeps ``count``, the number of live things in it (ready activities,
open activity instances, tokens waiting at joins). When it drops to zero the scope is done:
that is implicit termination, with no graph walk. Scopes whose graph has Inclusive or Complex
joins also keep ``places`` (activity index -> live count) for the OR-join test.

Changes are appended to ``ProcessInstance.changes`` as small tuples
``(at, kind, activity_instance_id, activity_id, detail)`` (kinds and details from the catalogue
in :mod:`wfengine.runtime.history`); the store moves them to the audit trail when the command
commits, so nothing is formatted or copied on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from wfengine.runtime.compiler import CActivity, CGraph, CompiledProcess
from wfengine.runtime.history import Change as Change  # re-exported: stores import it here
from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState


@dataclass(slots=True, eq=False)
class MultiInstanceState:
    """The bookkeeping of a MultiInstance activity (held by its container activity instance)."""

    total: int
    started: int = 0
    completed: int = 0
    routed: bool = False
    children: list[ActivityInstance] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class ActivityInstance:
    id: str
    act: CActivity
    scope: Scope
    state: ActivityState
    started_at: datetime
    completed_at: datetime | None = None
    #: loop iterations completed (Standard loop)
    iterations: int = 0
    #: MultiInstance: the container holds ``mi``; each child points at its container
    mi: MultiInstanceState | None = None
    mi_parent: ActivityInstance | None = None
    mi_index: int | None = None
    work_item: str | None = None
    #: who completed its work item (the holder, or the user who completed it unclaimed)
    performer: str | None = None
    #: when a person's work on it began, when that was after it was created (they started
    #: its work item, or completed it unstarted); None: it started when it was created
    running_at: datetime | None = None
    #: a deadline fired on it
    late: bool = False
    child_instance: str | None = None
    child_scope: Scope | None = None
    timers: list[str] = field(default_factory=list)
    incident: str | None = None
    #: its boundary events' state by position: how often a timer fired; 1 while a
    #: conditional event's condition holds (it fires again only once it stopped holding)
    fired: dict[int, int] = field(default_factory=dict)
    #: what its application calls' idempotency keys are made of, given by the command that
    #: first calls one (see :meth:`NavigatorBase.call_key
    #: <wfengine.runtime.navigation.base.NavigatorBase.call_key>`); None until then
    call_key: str | None = None

    @property
    def activity_id(self) -> str:
        return self.act.id

    def place(self) -> str:
        """Where an error about this activity instance happened, as messages name it (a
        :data:`~wfengine.errors.Place`)."""
        return f"{self.scope.instance.place()}, activity {self.act.id!r}"


@dataclass(slots=True, eq=False)
class Scope:
    id: int
    graph: CGraph
    instance: ProcessInstance
    owner: ActivityInstance | None
    count: int = 0
    places: dict[int, int] = field(default_factory=dict)
    #: join activity index -> tokens waiting per incoming slot
    tokens: dict[int, list[int]] = field(default_factory=dict)
    #: Complex joins: activity index -> [arrived this round, fired this round (0/1)]
    rounds: dict[int, list[int]] = field(default_factory=dict)
    #: Inclusive/Complex joins that may have become enabled; checked when work runs out
    pending: set[int] = field(default_factory=set)
    closed: bool = False
    #: the timers of its event sub-processes (see :data:`SCOPE_TIMER`)
    timers: list[str] = field(default_factory=list)
    #: how often each of its event sub-processes' timers fired, by position
    fired: dict[int, int] = field(default_factory=dict)
    #: the activities that completed in it (work can be sent back to them): bit ``i`` set
    #: for activity index ``i`` (an int, not a set: nothing more for the collector to track)
    done: int = 0


@dataclass(slots=True, eq=False)
class Incident:
    """Something the engine could not do by itself; the instance waits for an operator.

    ``operation`` says what retrying does: ``"leave"`` re-chooses the outgoing transitions of a
    finished activity (and makes its End assignments), ``"run"`` runs the activity's work
    again, ``"offer"`` offers the activity's work to people again (an offer that failed: four
    eyes leaving no one, a performer naming no one, the directory failing) and does nothing
    else, ``"assign"`` makes its Start assignments and starts it, ``"loop"`` re-evaluates a
    loop condition, ``"join"`` re-evaluates a Complex join, ``"continue"`` resumes work parked
    when a command exceeded its step budget, ``"job"`` runs again a job whose run failed (or
    was stopped for running too long), ``"deadlock"`` cannot be retried.
    """

    id: str
    instance_id: str
    activity_instance_id: str | None
    activity_id: str | None
    operation: str
    message: str
    created_at: datetime
    resolved: bool = False
    #: for join incidents: the scope and join activity index
    scope_id: int | None = None
    join_index: int | None = None
    #: for a failed application call: which application, and how many attempts it was given
    application_id: str | None = None
    attempts: int = 0
    #: for a failed job: the job, parked (due at :data:`~wfengine.runtime.jobs.PARKED`) until
    #: the incident is retried
    job_id: str | None = None


@dataclass(slots=True, eq=False)
class ProcessInstance:
    id: str
    process_id: str
    version: int
    compiled: CompiledProcess
    state: ProcessState
    data: dict[str, Any]
    created_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None
    parent_instance: str | None = None
    parent_activity_instance: str | None = None
    #: synchronous subflow: the parent waits for this instance
    parent_waits: bool = False
    #: how many subflow levels above this instance (0: started on its own)
    depth: int = 0
    #: deadline timers fired so far (bounded by ``RuntimeLimits.max_timer_firings``)
    timer_firings: int = 0
    seq: int = 0
    #: the id the next scope gets: one past every scope the instance has made. Not
    #: ``len(scopes)``: closed scopes leave ``scopes``, and a new one must never take the id
    #: of one still there, nor be numbered below the scope of its owner
    next_scope: int = 0
    activities: dict[str, ActivityInstance] = field(default_factory=dict)
    scopes: dict[int, Scope] = field(default_factory=dict)
    root: Scope | None = None
    changes: list[Change] = field(default_factory=list)
    #: activity ids in completion order (routes included), since the store last took them:
    #: a commit moves them out of the instance (see :func:`retire`)
    trace: list[str] = field(default_factory=list)
    #: how many trace entries the store holds already
    trace_base: int = 0
    #: activity id -> who completed its work item last
    performers: dict[str, str] = field(default_factory=dict)
    #: who completed the person's work that closed last
    last_performer: str | None = None
    incidents: dict[str, Incident] = field(default_factory=dict)
    #: ready work set aside when a command ran out of its step budget (see Engine.max_steps),
    #: or left to a ``continue`` job (Engine.start(defer=True))
    parked: list[tuple[int, Any, Any]] = field(default_factory=list)
    #: messages sent to the instance that no catch event has taken yet, oldest first:
    #: (name, data, when) (a persistent trigger: the first catch of that name takes it)
    messages: list[tuple[str, dict[str, Any], datetime]] = field(default_factory=list)
    #: work sent back to an activity that has not offered its new work item yet (its
    #: applications run first, or were left to a worker): ``"<scope id>/<activity id>"`` ->
    #: who has it again and why (``holder``, ``reason``, ``sent_by``, ``from_activity``,
    #: ``from_work_item_id``); that offer takes it
    sent_back: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: random, made with the instance and stored with it: what makes its application calls'
    #: idempotency keys unique beyond its database (see :meth:`call_stamp`)
    nonce: str = ""
    #: fields that are not marked ``wfengine:sensitive`` in the process but are as secret in
    #: this instance: a subflow's formal parameters that took a value from a sensitive field
    #: of the caller (see :attr:`sensitive_fields`); empty for nearly every instance
    sensitive_extra: frozenset[str] = frozenset()
    _stamp: str = ""

    def place(self) -> str:
        """This instance, as error messages name it (a :data:`~wfengine.errors.Place`)."""
        return f"instance {self.id!r}"

    @property
    def sensitive_fields(self) -> frozenset[str]:
        """The fields whose values this instance's audit trail, incidents and outbox show as
        ``***``: those its process marks ``wfengine:sensitive``, and those a caller filled from
        a sensitive field of its own (:attr:`sensitive_extra`)."""
        extra = self.sensitive_extra
        if not extra:
            return self.compiled.sensitive_fields
        return self.compiled.sensitive_fields | extra

    def call_stamp(self) -> str:
        """``@`` and the instance's :attr:`nonce`: what makes an application call's
        idempotency key unique beyond its database. Instance ids restart at ``pi-1`` in every
        database and every in-memory engine, so a key of ids alone would be sent again for a
        different call by a restarted host, another tenant's database or a staging copy, and
        a service that keeps answers by key would answer it with the first one's. (An
        instance stored before nonces has its moment of creation instead.)"""
        stamp = self._stamp
        if not stamp:
            if self.nonce:
                stamp = "@" + self.nonce
            else:
                stamp = self.created_at.astimezone(UTC).strftime("@%Y%m%dT%H%M%S%fZ")
            self._stamp = stamp
        return stamp


@dataclass(slots=True, eq=False)
class WorkItem:
    id: str
    instance_id: str
    activity_instance_id: str
    activity_id: str
    performers: tuple[str, ...]
    assignees: tuple[str, ...]
    state: WorkItemState
    created_at: datetime
    completed_at: datetime | None = None
    mi_index: int | None = None
    #: who has the item (allocated or started), None while it is only offered
    holder: str | None = None
    #: who delegated it to ``holder`` and stays responsible for it (None unless delegated)
    owner: str | None = None
    started_at: datetime | None = None


#: the ``deadline_index`` of an intermediate timer event's own timer (not a deadline's)
EVENT_TIMER = -1
#: boundary timer ``n`` of an activity has ``deadline_index`` ``BOUNDARY_TIMER - n``
BOUNDARY_TIMER = -2
#: the timer of event sub-process ``n`` of scope ``s`` has ``deadline_index``
#: ``SCOPE_TIMER - (s * SCOPE_TIMERS + n)`` (and the instance's id as activity instance)
SCOPE_TIMER = -1_000_000
SCOPE_TIMERS = 1_000


@dataclass(slots=True, eq=False)
class Timer:
    """A deadline (or an intermediate timer event, ``deadline_index`` :data:`EVENT_TIMER`)
    waiting on the clock; a timer job of the store stands for it."""

    id: str
    due: datetime
    instance_id: str
    activity_instance_id: str
    deadline_index: int
    #: creation order, the tie-breaker for timers due at the same instant
    seq: int


def performer_of(inst: ProcessInstance, activity_id: str) -> str | None:
    """Who completed the work item of ``activity_id`` last in ``inst`` (None when nobody
    named did): the Shark assignment rules and work sent back give work to them again."""
    return inst.performers.get(activity_id)


def previous_performer(inst: ProcessInstance) -> str | None:
    """Who completed the person's work that closed last in ``inst`` (the activity being
    assigned is still open, so never that work)."""
    return inst.last_performer


def retire(inst: ProcessInstance) -> list[ActivityInstance]:
    """Take out of ``inst`` the closed activity instances nothing open refers to (and the
    closed scopes only they ran), and return them, in creation order.

    Why: an instance's records are what every command loads and writes, and a loop makes a
    new activity instance per iteration. Closed ones are history: the store keeps them
    outside the instance (``Store.activity_history``), and what later rules need of them
    (who performed an activity, which activities completed in a scope) is kept as summaries
    (:attr:`ProcessInstance.performers`, :attr:`ProcessInstance.last_performer`,
    :attr:`Scope.done`). Kept although closed: the instances of an open multi-instance
    activity (its container counts them), and the owner of a scope that stays.
    """
    acts = inst.activities
    scopes = inst.scopes
    if inst.state.is_closed:  # everything in it is closed: all of it goes, but the top level
        gone = list(acts.values())
        acts.clear()
        root = inst.root
        if len(scopes) > 1 and root is not None:
            scopes.clear()
            scopes[root.id] = root
        return gone
    going: dict[str, ActivityInstance] | None = None
    for ai in acts.values():
        if ai.state.is_closed and (ai.mi_parent is None or ai.mi_parent.state.is_closed):
            if going is None:
                going = {}
            going[ai.id] = ai
    if going is None:
        return []
    for _, a, _ in inst.parked:  # parked work (its activity instance or scope) stays
        going.pop(a.id, None)  # a scope's int id is never a key
    for s in scopes.values():  # so does the owner of an open scope
        if not s.closed and s.owner is not None:
            going.pop(s.owner.id, None)
    if len(scopes) > 1:
        _keep_scopes_whole(inst, going)
    for ai_id in going:
        del acts[ai_id]
    return list(going.values())


def _keep_scopes_whole(inst: ProcessInstance, going: dict[str, ActivityInstance]) -> None:
    """Drop from ``inst`` the closed scopes nothing kept is in; keep (take out of ``going``)
    the owner of every scope that stays, so a stored scope always finds its owner."""
    scopes = inst.scopes
    kept = {id(s): s for s in scopes.values() if not s.closed or s is inst.root}
    for _, a, _ in inst.parked:
        if isinstance(a, Scope):
            kept[id(a)] = a
    while True:
        for ai in inst.activities.values():
            if ai.id not in going:
                kept[id(ai.scope)] = ai.scope
                if ai.child_scope is not None:
                    kept[id(ai.child_scope)] = ai.child_scope
        owners = [s.owner for s in kept.values() if s.owner is not None and s.owner.id in going]
        if not owners:
            break
        for owner in owners:
            del going[owner.id]
    if len(kept) < len(scopes):
        for scope_id, s in list(scopes.items()):
            if id(s) not in kept:
                del scopes[scope_id]
