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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import le
from typing import Any, TypeVar

from wfengine.runtime.compiler import CActivity, CGraph, CompiledProcess
from wfengine.runtime.empty_defaults import NO_PENDING, NO_SCOPE_TIMERS, NO_TIMERS, NOT_FIRED
from wfengine.runtime.history import Change as Change  # re-exported: stores import it here
from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState

#: a summary's value: who performed an activity, or the delegates who wrote it
_V = TypeVar("_V")
#: what separates an activity's key from the scope id of a multi-instance block's copy in
#: the copy's own summary entries (:mod:`wfengine.runtime.performed`; no key has a space)
COPY = " #"


@dataclass(slots=True, eq=False)
class MultiInstanceState:
    """The bookkeeping of a MultiInstance activity (held by its container activity instance)."""

    total: int
    started: int = 0
    completed: int = 0
    routed: bool = False
    children: list[ActivityInstance] = field(default_factory=list)
    #: instances ``add_mi_instance`` added beyond its count (a sequential activity's
    #: re-evaluated count is raised by them)
    added: int = 0


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
    #: its timers' (and ``invoke`` jobs') ids; the shared :data:`NO_TIMERS` while it has none
    timers: list[str] = NO_TIMERS
    incident: str | None = None
    #: its boundary events' state by position: how often a timer fired; 1 while a
    #: conditional event's condition holds (it fires again only once it stopped holding);
    #: the shared :data:`NOT_FIRED` until one fired (a writer takes :func:`own_fired`)
    fired: dict[int, int] = NOT_FIRED
    #: what its application calls' idempotency keys are made of, given by the command that
    #: first calls one (see :meth:`NavigatorBase.call_key
    #: <wfengine.runtime.navigation.base.NavigatorBase.call_key>`); None until then
    call_key: str | None = None
    #: a target of an event-based gateway (``CActivity.rivals``): the id of the gateway's
    #: activity instance whose activation began it (``<id>#<n>`` for a multi-instance
    #: gateway's instance ``n`` routing on its own), the choice it races in (the first of
    #: those to fire withdraws the others); ``""``: begun by another way in, in no choice;
    #: None: stored before activations were kept (it races every open instance of its
    #: rivals in its scope, as it did then)
    activation: str | None = None

    @property
    def activity_id(self) -> str:
        return self.act.id

    def place(self) -> str:
        """Where an error about this activity instance happened, as messages name it (a
        :data:`~wfengine.errors.Place`)."""
        return f"{self.scope.instance.place()}, activity {self.act.id!r}"


def own_fired(ai: ActivityInstance) -> dict[int, int]:
    """``ai``'s :attr:`~ActivityInstance.fired`, to write to: its own dict (the shared
    :data:`NOT_FIRED` replaced by a new one first)."""
    fired = ai.fired
    if type(fired) is not dict:
        fired = ai.fired = {}
    return fired


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
    #: (the shared :data:`~wfengine.runtime.empty_defaults.NO_PENDING` while there are none)
    pending: set[int] = NO_PENDING
    closed: bool = False
    #: the timers of its event sub-processes (see :data:`SCOPE_TIMER`; the shared
    #: :data:`~wfengine.runtime.empty_defaults.NO_SCOPE_TIMERS` while there are none)
    timers: list[str] = NO_SCOPE_TIMERS
    #: how often each of its event sub-processes' timers fired, by position
    fired: dict[int, int] = field(default_factory=dict)
    #: the activities that completed in it (work can be sent back to them): bit ``i`` set
    #: for activity index ``i`` (an int, not a set: nothing more for the collector to track)
    done: int = 0


class ChoiceBegin(tuple[int, Any, Any]):
    """Queued (or parked) work: the begin of an event-based gateway's target,
    ``(BEGIN, scope, activity)`` as any begin (whatever reads the queue reads it as one), that
    also says which activation of the gateway it races in (``activation``, given to the
    target's instance: :attr:`ActivityInstance.activation`). A plain begin of such a target
    is one reached another way, in no choice (``""``); None: parked before activations were
    kept (it races as it did then)."""

    activation: str | None

    def __new__(cls, scope: Scope, ca: CActivity, activation: str | None) -> ChoiceBegin:
        item = super().__new__(cls, (0, scope, ca))  # (0: navigation.base.Op.BEGIN)
        item.activation = activation
        return item

    def __getnewargs__(self) -> tuple[Any, Any, str | None]:
        """What copy and pickle rebuild it from (``tuple``'s own would pass the 3-tuple as
        one argument)."""
        return (self[1], self[2], self.activation)


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
    #: how many synchronous subflow levels above this instance (0: started on its own, or
    #: by an asynchronous subflow, whose caller does not wait for it)
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
    #: activity -> who completed its work item last, in the order of those completions
    #: (the latest last: :func:`~wfengine.runtime.performed.previous_performer` reads it).
    #: Keyed by :attr:`~wfengine.runtime.compiled.CActivity.key`: the activity's Id,
    #: scope-qualified only for one in an activity set whose Id another scope of the process
    #: repeats; and, for one done in a copy of a multi-instance block, under that copy as well
    #: (:mod:`wfengine.runtime.performed`)
    performers: dict[str, str] = field(default_factory=dict)
    #: activity (keyed as :attr:`performers`) -> the others who wrote its work, each once, in
    #: every round of the activity, whom four eyes leaves out as it does the performer
    #: (:func:`~wfengine.runtime.performed.excluded_in`): the delegates whose finished work
    #: went back to its owner to confirm (``wfengine:delegation-confirm``: they wrote the
    #: work the owner completed), and, for an activity a four-eyes rule names, everyone who
    #: completed one of its multi-instance instances or its work in a copy of a
    #: multi-instance block. Kept over rounds, unlike :attr:`performers`: what they wrote
    #: stays in the case's data after a send-back or a loop's next round. Empty for nearly
    #: every instance
    co_performers: dict[str, list[str]] = field(default_factory=dict)
    #: who completed the person's work that closed last
    last_performer: str | None = None
    incidents: dict[str, Incident] = field(default_factory=dict)
    #: ready work set aside when a command ran out of its step budget (see Engine.max_steps),
    #: or left to a ``continue`` job (Engine.start(defer=True))
    parked: list[tuple[int, Any, Any]] = field(default_factory=list)  # (a ChoiceBegin too)
    #: messages sent to the instance that no catch event has taken yet, oldest first:
    #: (name, data, when) (a persistent trigger: the first catch of that name takes it)
    messages: list[tuple[str, dict[str, Any], datetime]] = field(default_factory=list)
    #: work sent back to an activity that has not offered its new work item yet (its
    #: applications run first, or were left to a worker): ``"<scope id>/<activity id>"`` ->
    #: who has it again and why (``holder``, ``reason``, ``sent_by``, ``from_activity``,
    #: ``from_work_item_id``); that offer takes it. Bound to the activity instance the
    #: send-back began (``activity_instance``, or ``container`` for a multi-instance one):
    #: :mod:`~wfengine.runtime.sent_back_records`
    sent_back: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: random, made with the instance and stored with it: what makes its application calls'
    #: idempotency keys unique beyond its database (see :meth:`call_stamp`)
    nonce: str = ""
    #: fields that are not marked ``wfengine:sensitive`` in the process but are as secret in
    #: this instance: a subflow's formal parameters that took a value from a sensitive field
    #: of the caller (see :attr:`sensitive_fields`); empty for nearly every instance
    sensitive_extra: frozenset[str] = frozenset()
    #: the activity instances the next :func:`retire` looks at: those that closed since the
    #: last one, and those it kept then although closed (see :func:`note_closed`). None: not
    #: followed (an instance loaded since its last commit): the next retire looks at every
    #: one it holds, and starts this. Why: an open multi-instance activity keeps all its
    #: closed instances, and a retire that looked at them on every commit made completing N
    #: of them cost N squared
    closing: dict[str, ActivityInstance] | None = None
    #: the closed scopes (of block activities) it holds, which the next :func:`retire` may
    #: drop; None when there are none (see :func:`note_scope_closed`)
    closed_scopes: dict[int, Scope] | None = None
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


def carry_scoped_keys(inst: ProcessInstance) -> None:
    """Bring the summaries of an instance stored before scope-qualified keys
    (:attr:`~wfengine.runtime.compiled.CActivity.key`) to them: there, each activity Id that
    several scopes of its process hold had one entry, which every holder read. Each holder
    in an activity set gets a copy of it (the top level keeps the entry itself, when it
    holds the Id), in its place in the order, so every rule reads what it read before until
    its own activity is performed again. Only for a process that repeats an Id across
    scopes (:attr:`~wfengine.runtime.compiled.CompiledProcess.scoped_keys`)."""
    scoped = inst.compiled.scoped_keys
    if not scoped:
        return
    top = inst.compiled.graph.by_id
    if not scoped.keys().isdisjoint(inst.performers):
        inst.performers = _carried(inst.performers, scoped, top, str)
    if not scoped.keys().isdisjoint(inst.co_performers):
        inst.co_performers = _carried(inst.co_performers, scoped, top, list)


def _carried(
    summary: dict[str, _V],
    scoped: Mapping[str, tuple[str, ...]],
    top: Mapping[str, int],
    copy: Callable[[_V], _V],
) -> dict[str, _V]:
    """``summary`` with each entry of a repeated Id (``scoped``) copied to its holders'
    keys, in its place; kept under the Id only when the top level (``top``) holds it."""
    out: dict[str, _V] = {}
    for key, value in summary.items():
        keys = scoped.get(key)
        if keys is None:
            out[key] = value
            continue
        if key in top:
            out[key] = value
        for held in keys:
            out.setdefault(held, copy(value))
    return out


def note_closed(ai: ActivityInstance) -> None:
    """``ai`` closed: the next :func:`retire` of its instance looks at it, and, for a
    multi-instance container, at its closed instances (while it was open they stayed, and
    retire let them go from its list). What closes an activity instance calls this (the
    navigator's hot paths do its common part inline)."""
    closing = ai.scope.instance.closing
    if closing is None:  # not followed: the next retire looks at everything
        return
    closing[ai.id] = ai
    mi = ai.mi
    if mi is not None:
        for child in mi.children:
            if child.state.is_closed:
                closing[child.id] = child


def note_scope_closed(scope: Scope) -> None:
    """``scope``, a block activity's, closed: the next :func:`retire` of its instance may
    drop it."""
    inst = scope.instance
    forget_copy(scope)  # (a copy of a multi-instance block: its performers' entries go)
    if inst.closing is None or scope.owner is None:  # (not followed; the top level stays)
        return
    if inst.closed_scopes is None:
        inst.closed_scopes = {scope.id: scope}
    else:
        inst.closed_scopes[scope.id] = scope


def forget_copy(scope: Scope) -> None:
    """``scope`` closed: when it is a copy of a multi-instance block, drop its summary
    entries (:mod:`wfengine.runtime.performed`; its own activities' and those of the blocks
    it runs): nothing outside it reads them, and a block of many copies would otherwise
    carry them all to the instance's end."""
    owner = scope.owner
    if owner is None or owner.mi_parent is None:
        return
    inst = scope.instance
    if inst.performers or inst.co_performers:
        suffix = f"{COPY}{scope.id}"
        for key in _keys(scope.graph):
            inst.performers.pop(key + suffix, None)
            inst.co_performers.pop(key + suffix, None)


def _keys(graph: CGraph) -> Iterable[str]:
    """The keys of ``graph``'s activities and of those of the sets its blocks run (a copy's
    entries are for those: a look-up per key, not a scan of every entry per closed copy)."""
    for act in graph.activities:
        yield act.key
        if act.block is not None:
            yield from _keys(act.block)


#: the closed process states, read once: ``is_closed`` is a Python call, and retire runs on
#: every commit of every instance
_CLOSED = frozenset(state for state in ProcessState if state.is_closed)


def retire(inst: ProcessInstance) -> list[ActivityInstance]:
    """Take out of ``inst`` the closed activity instances nothing open refers to (and the
    closed scopes only they ran), and return them, in creation order.

    Why: an instance's records are what every command loads and writes, and a loop makes a
    new activity instance per iteration. Closed ones are history: the store keeps them
    outside the instance (``Store.activity_history``), and what later rules need of them
    (who performed an activity, which activities completed in a scope) is kept as summaries
    (:attr:`ProcessInstance.performers`, :attr:`ProcessInstance.co_performers`,
    :attr:`ProcessInstance.last_performer`, :attr:`Scope.done`). Kept although closed: the
    instances of an open multi-instance activity (its container counts them), what parked
    work refers to, the owner of a scope that stays; a closed scope stays while something
    kept is in it or runs it.

    It runs on every commit, so it looks only at what :attr:`ProcessInstance.closing` and
    :attr:`ProcessInstance.closed_scopes` list (what closed since the last time, and what
    was kept then), not at everything the instance holds: nothing open is ever in a closed
    scope (closing a scope closes what is in it). The first time after the instance was
    loaded it looks at everything, and starts those lists.
    """
    acts = inst.activities
    if inst.state in _CLOSED:  # everything in it is closed: all of it goes, but the top level
        gone = list(acts.values())
        acts.clear()
        scopes = inst.scopes
        root = inst.root
        if len(scopes) > 1 and root is not None:
            scopes.clear()
            scopes[root.id] = root
        inst.closing = inst.closed_scopes = None
        return gone
    closing = inst.closing
    first = closing is None
    if closing is None:  # this once: every closed activity instance it holds
        candidates: Iterable[ActivityInstance] = [a for a in acts.values() if a.state.is_closed]
        inst.closing = closing = {}
        _follow_scopes(inst)
    elif closing:  # (each closed: a closed activity instance never opens again)
        candidates = closing.values()
    else:
        return []
    going: dict[str, ActivityInstance] = {}
    owners: list[ActivityInstance] | None = None
    for ai in candidates:
        parent = ai.mi_parent
        if parent is not None and not parent.state.is_closed:
            continue  # its container, as it closes, brings it back (note_closed)
        run = ai.child_scope
        if run is not None and not run.closed:  # the owner of an open scope stays
            if owners is None:
                owners = []
            owners.append(ai)
        else:
            going[ai.id] = ai
    closing.clear()  # what stays although closed is put back: looked at again next time
    if owners is not None:
        for ai in owners:
            closing[ai.id] = ai
    if not going:
        return []
    for _, a, _ in inst.parked:  # parked work (its activity instance or scope) stays
        waiting = going.pop(a.id, None)  # a scope's int id is never a key
        if waiting is not None:
            closing[waiting.id] = waiting
    if inst.closed_scopes:
        staying = [a for a in acts.values() if a.id not in going] if first else closing.values()
        _keep_scopes_whole(inst, going, closing, staying)
    for ai_id in going:
        del acts[ai_id]
    gone = list(going.values())
    if len(gone) > 1 and not _in_creation_order(gone):
        gone.sort(key=_creation_order)
    return gone


def _creation_order(ai: ActivityInstance) -> int:
    """Where ``ai`` comes in its instance's creation order (its id is ``<instance>:<n>``)."""
    return int(ai.id.rpartition(":")[2])


def _in_creation_order(gone: list[ActivityInstance]) -> bool:
    """Whether ``gone``, activity instances of one process instance, are in creation order
    already (as they close in a sequence, which is most of the time): a look without a
    Python call per item, where the sort called :func:`_creation_order` for each. Their ids
    are ``<instance>:<n>`` with one ``<instance>``, so ``n``'s order is that of the ids'
    lengths, then of the ids as text."""
    ids = [ai.id for ai in gone]
    keys = list(zip(map(len, ids), ids, strict=True))
    return all(map(le, keys, keys[1:]))


def _follow_scopes(inst: ProcessInstance) -> None:
    """List the closed scopes ``inst`` holds (but its top level) for :func:`retire`, which
    has not followed it since it was loaded."""
    closed = {s.id: s for s in inst.scopes.values() if s.closed and s.owner is not None}
    inst.closed_scopes = closed or None


def _keep_scopes_whole(
    inst: ProcessInstance,
    going: dict[str, ActivityInstance],
    kept: dict[str, ActivityInstance],
    staying: Iterable[ActivityInstance],
) -> None:
    """Drop from ``inst`` the closed scopes nothing that stays is in or runs; keep (move from
    ``going`` to ``kept``) the owner of every scope that stays, so a stored scope always
    finds its owner.

    Only the closed scopes of ``inst.closed_scopes`` may go. ``staying``: the activity
    instances that stay and may be in one or run one (the first time all that stay; after,
    those kept although closed: nothing open is in a closed scope, and an open owner's
    finished scope is no longer its child scope)."""
    closed = inst.closed_scopes
    assert closed is not None
    scopes = inst.scopes
    doubtful: dict[int, Scope] = {}  # id() -> a closed scope that may go
    for s in closed.values():
        if s.closed and scopes.get(s.id) is s:
            doubtful[id(s)] = s
    closed.clear()
    held: list[Scope] = [a for _, a, _ in inst.parked if isinstance(a, Scope)]
    for ai in staying:
        held.append(ai.scope)
        if ai.child_scope is not None:
            held.append(ai.child_scope)
    while held:
        s = held.pop()
        if doubtful.pop(id(s), None) is not None:
            closed[s.id] = s  # closed and kept: looked at again next time
        owner = s.owner
        if owner is not None and owner.id in going:  # a scope that stays keeps its owner
            kept[owner.id] = going.pop(owner.id)
            held.append(owner.scope)
            if owner.child_scope is not None:
                held.append(owner.child_scope)
    for s in doubtful.values():
        del scopes[s.id]
    if not closed:
        inst.closed_scopes = None
