"""The outbox: what an engine tells the world after a commit, and how a host listens.

A command never calls anything outside the engine while its transaction is open: a mail
server that is down must not roll back a completed work item, and a notification must not go
out for a change that is then rolled back. So every change the world may want to hear about is
written as an :class:`OutboxEntry` into the step of the command that makes it (the same unit
of work, so an entry exists exactly when its change was committed), and delivered *after* the
commit by :class:`~wfengine.runtime.outbox_delivery.Outbox` to the handlers a host subscribed.

The catalogue (:class:`OutboxKind`) and what each entry's ``payload`` holds (a JSON object;
the ``TypedDict`` named beside each kind spells out its keys):

=========================  ==========================  ===================================
kind                        key (unique per change)     payload
=========================  ==========================  ===================================
``instance.state_changed``  ``pi-1/started``,            :class:`InstanceStatePayload`:
                            ``pi-1/suspended/ob-N``,     ``process_id``, ``state`` (the new
                            ``pi-1/resumed/ob-N``,       WfMC state), ``previous``
                            ``pi-1/closed``
``work_item.offered``       ``wi-1/offered``,            :class:`WorkItemPayload`
                            ``wi-1/offered/ob-N``
``work_item.assigned``      ``wi-1/assigned/ob-N``       :class:`WorkItemPayload` (the new
                                                         ``assignees``)
``work_item.completed``     ``wi-1/completed``           :class:`WorkItemPayload`
``work_item.cancelled``     ``wi-1/cancelled``           :class:`WorkItemPayload`
``incident.opened``         ``inc-1/opened``             :class:`IncidentPayload`
``incident.resolved``       ``inc-1/resolved``           :class:`IncidentPayload` with
                                                         ``resolution``
``reminder.due``            ``wi-1/reminder/ob-N``       :class:`WorkItemPayload` with
                                                         ``reminder`` (its number)
``event.thrown``            ``pi-1:5/thrown``            :class:`ThrownPayload`: a message
                                                         thrown, or a signal no instance
                                                         of this engine caught
=========================  ==========================  ===================================

Every state change of an instance is one ``instance.state_changed`` entry: started,
suspended, resumed, and closed (completed, terminated, aborted; the key ``pi-1/closed`` is the
one the close entry always had, and an instance closes once). A change that can repeat
(suspend, resume, assign, remind, an item offered again after its holder released it)
takes a number from the engine's id generator, so each change has a key of its own.
The keys above are shown without their stamp: each builder puts the instance's
:meth:`~wfengine.runtime.instance.ProcessInstance.call_stamp` (``@`` and the instance's nonce,
which application call keys end with) after the first id, ``wi-1@3fa9c2e1b0d4/offered``. Ids
restart at ``pi-1``, ``wi-1``, ``inc-1`` in every database and every in-memory engine, so a key
of ids alone would come again, for another change, from a restarted host, another tenant's
database or a staging copy, and a receiver dropping repeats by key (or by the mail notifier's
``Message-ID``) would drop it. The stamp is the instance's own, so every delivery of one entry
keeps its key, and the key still ends with what happened.
``work_item.assigned`` and ``reminder.due`` are written by the worklist (nothing assigns or
reminds in the runtime itself); :func:`work_item_entry` builds them.

Writing an entry is on the hot path (every instance writes at least two), so the builders here
make a dict and a :class:`OutboxEntry` (a NamedTuple) and nothing else.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, NotRequired, TypedDict

from wfengine.runtime.call_shapes import unfit_signature
from wfengine.runtime.instance import Incident, ProcessInstance, WorkItem
from wfengine.runtime.job_arguments import MAX_LEASE
from wfengine.runtime.states import P_RUNNING, P_SUSPENDED, ProcessState


class OutboxKind(StrEnum):
    """Every kind of outbox entry (stable names: stores keep them, handlers match on them)."""

    INSTANCE_STATE_CHANGED = "instance.state_changed"
    WORK_ITEM_OFFERED = "work_item.offered"
    WORK_ITEM_ASSIGNED = "work_item.assigned"
    WORK_ITEM_COMPLETED = "work_item.completed"
    WORK_ITEM_CANCELLED = "work_item.cancelled"
    WORK_ITEM_ESCALATED = "work_item.escalated"
    #: about the new item of the activity work was sent back to (``reason``, ``sent_by``,
    #: ``from_activity``; ``holder`` when it went straight to its earlier performer)
    WORK_ITEM_SENT_BACK = "work_item.sent_back"
    INCIDENT_OPENED = "incident.opened"
    INCIDENT_RESOLVED = "incident.resolved"
    REMINDER_DUE = "reminder.due"
    #: a message a throw event, send task or message end event threw (the engine delivers
    #: none itself: the host does), or a signal one threw that no instance of this engine
    #: caught (one caught here has had its effect): :class:`ThrownPayload`
    EVENT_THROWN = "event.thrown"


class Resolution(StrEnum):
    """How an incident was resolved (``incident.resolved``'s ``resolution``)."""

    RETRIED = "retried"
    SKIPPED = "skipped"
    ABORTED = "aborted"
    #: its activity closed by other means (a deadline, an exception path, termination, a
    #: cancel), its parked job ended, or its Complex join fired: audited as
    #: ``incident.aborted``, as ``ABORTED`` and ``INSTANCE_CLOSED`` are (a retry that found
    #: its activity closed, as ``incident.retried``)
    ACTIVITY_CLOSED = "activity_closed"
    #: its instance closed (terminated or aborted) while it was open
    INSTANCE_CLOSED = "instance_closed"


class InstanceStatePayload(TypedDict):
    process_id: str
    #: the WfMC state the instance is in now (``open.running``, ``closed.completed``, ...)
    state: str
    #: the state it left
    previous: str


class WorkItemPayload(TypedDict):
    work_item_id: str
    activity_id: str
    activity_instance_id: str
    #: the participants the activity names
    performers: tuple[str, ...]
    #: who the directory resolved them to (who may do the work)
    assignees: tuple[str, ...]
    #: ``reminder.due`` only: the reminder's number (1 for the first)
    reminder: NotRequired[int]
    #: ``work_item.assigned`` only: who has the item now
    holder: NotRequired[str]
    #: ``work_item.escalated`` only: who it was offered to as well
    escalated_to: NotRequired[list[str]]
    #: ``work_item.escalated`` and a reassignment's ``work_item.assigned``: who had it in hand
    #: (its holder, the owner who delegated it) and has it no longer
    taken_from: NotRequired[list[str]]


class IncidentPayload(TypedDict):
    incident_id: str
    activity_id: str | None
    activity_instance_id: str | None
    #: what retrying does (see :class:`~wfengine.runtime.instance.Incident`)
    operation: str
    message: str
    #: ``incident.resolved`` only: a :class:`Resolution` value
    resolution: NotRequired[str]


class ThrownPayload(TypedDict):
    process_id: str
    #: the throw event (or send task) that threw it, and its activity instance
    activity_id: str
    activity_instance_id: str
    #: ``Message`` or ``Signal``
    trigger: str
    #: the message's or signal's name, as a catch of it names it
    name: str | None


class OutboxEntry(NamedTuple):
    """A side effect to perform after the step commits, at least once.

    ``key`` is the idempotency key a receiver uses to recognise a repeat (unique per change,
    with its instance's stamp: see the module's notes);
    ``at`` is when the change happened (the command's clock reading).
    """

    key: str
    kind: str
    instance_id: str
    payload: Any
    at: datetime | None = None


# --------------------------------------------------------------------------- entry builders

#: the id kind of the numbers that make the keys of repeatable changes unique (``ob-N``)
OUTBOX_ID_KIND = "ob"

#: builds an :class:`OutboxEntry` from a tuple of its fields without the NamedTuple's
#: keyword-parsing ``__new__`` (half the cost of an entry, measured)
_entry = tuple.__new__
_STATE_CHANGED = OutboxKind.INSTANCE_STATE_CHANGED.value
#: each state's text (reading an enum member's ``.value`` costs a descriptor call)
_STATE_TEXT = {s: s.value for s in ProcessState}


def instance_state_entry(
    inst: ProcessInstance, previous: ProcessState, at: datetime, number: str | None = None
) -> OutboxEntry:
    """``inst`` moved from ``previous`` to its current state. ``number`` (an id) makes the key
    of a change that can repeat (suspend, resume) unique; start and close happen once."""
    state = inst.state
    iid = inst.id
    stamp = inst.call_stamp()
    if number is not None:
        key = f"{iid}{stamp}/{'suspended' if state is P_SUSPENDED else 'resumed'}/{number}"
    elif state is P_RUNNING:
        key = f"{iid}{stamp}/started"
    else:
        key = f"{iid}{stamp}/closed"
    text = _STATE_TEXT
    payload = {"process_id": inst.process_id, "state": text[state], "previous": text[previous]}
    return _entry(OutboxEntry, (key, _STATE_CHANGED, iid, payload, at))


#: the work-item kinds that happen once per item: their text and the last word of their key
_ONCE = {
    OutboxKind.WORK_ITEM_OFFERED: (OutboxKind.WORK_ITEM_OFFERED.value, "/offered"),
    OutboxKind.WORK_ITEM_COMPLETED: (OutboxKind.WORK_ITEM_COMPLETED.value, "/completed"),
    OutboxKind.WORK_ITEM_CANCELLED: (OutboxKind.WORK_ITEM_CANCELLED.value, "/cancelled"),
}


#: the word in the key of the entries that happen more than once per item
_KEY_WORDS = {
    OutboxKind.WORK_ITEM_OFFERED: "offered",
    OutboxKind.REMINDER_DUE: "reminder",
    OutboxKind.WORK_ITEM_ESCALATED: "escalated",
    OutboxKind.WORK_ITEM_SENT_BACK: "sent_back",
}


def work_item_entry(
    kind: OutboxKind,
    item: WorkItem,
    at: datetime,
    number: str | None = None,
    *,
    stamp: str,
    **extra: Any,
) -> OutboxEntry:
    """A ``work_item.*`` or ``reminder.due`` entry about ``item``. Offered, completed and
    cancelled happen once per item; assigned and reminder.due take ``number`` (an id from the
    engine's generator) into their key, and ``extra`` into their payload (``reminder``). An
    item offered again (its holder released it) takes a ``number`` too. ``stamp`` is the
    item's instance's :meth:`~wfengine.runtime.instance.ProcessInstance.call_stamp`.

    ``performers`` and ``assignees`` are the item's own tuples (no copy on the hot path; every
    store gives them back as tuples)."""
    once = _ONCE.get(kind)
    if once is not None and number is None:
        text, word = once
        key = item.id + stamp + word
    elif number is None:
        raise ValueError(f"a {kind} entry needs a number to make its key unique")
    else:
        text = kind.value
        key = f"{item.id}{stamp}/{_KEY_WORDS.get(kind, 'assigned')}/{number}"
    payload = {
        "work_item_id": item.id,
        "activity_id": item.activity_id,
        "activity_instance_id": item.activity_instance_id,
        "performers": item.performers,
        "assignees": item.assignees,
    }
    if extra:
        payload.update(extra)
    return _entry(OutboxEntry, (key, text, item.instance_id, payload, at))


def incident_entry(
    incident: Incident, at: datetime, resolution: Resolution | None = None, *, stamp: str
) -> OutboxEntry:
    """``incident.opened`` (no ``resolution``) or ``incident.resolved``; ``stamp`` as for
    :func:`work_item_entry`."""
    payload: dict[str, Any] = {
        "incident_id": incident.id,
        "activity_id": incident.activity_id,
        "activity_instance_id": incident.activity_instance_id,
        "operation": incident.operation,
        "message": incident.message,
    }
    if resolution is None:
        return OutboxEntry(
            f"{incident.id}{stamp}/opened",
            OutboxKind.INCIDENT_OPENED.value,
            incident.instance_id,
            payload,
            at,
        )
    payload["resolution"] = resolution.value
    return OutboxEntry(
        f"{incident.id}{stamp}/resolved",
        OutboxKind.INCIDENT_RESOLVED.value,
        incident.instance_id,
        payload,
        at,
    )


def thrown_entry(
    inst: ProcessInstance,
    activity_id: str,
    activity_instance_id: str,
    trigger: str,
    name: str | None,
    at: datetime,
) -> OutboxEntry:
    """``event.thrown``: activity ``activity_id`` of ``inst`` threw message or signal
    ``name`` for the host to deliver. An activity instance throws once, so its id (with the
    instance's stamp, as :func:`work_item_entry`'s keys) keys the entry."""
    payload = {
        "process_id": inst.process_id,
        "activity_id": activity_id,
        "activity_instance_id": activity_instance_id,
        "trigger": trigger,
        "name": name,
    }
    key = f"{activity_instance_id}{inst.call_stamp()}/thrown"
    return OutboxEntry(key, OutboxKind.EVENT_THROWN.value, inst.id, payload, at)


# --------------------------------------------------------------------------- delivery records


class OutboxStatus(StrEnum):
    """Where an entry is in its delivery."""

    #: waiting for its (next) attempt
    PENDING = "pending"
    #: every handler subscribed to its kind returned
    DELIVERED = "delivered"
    #: no handler of the delivering engine was subscribed to its kind: settled without a call
    SKIPPED = "skipped"
    #: its handlers kept failing until :attr:`OutboxPolicy.max_attempts`; an operator may
    #: retry it (:meth:`~wfengine.runtime.outbox_delivery.Outbox.retry`)
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    """An outbox entry as stored, with its delivery state: what a handler is given.

    ``key`` is the idempotency key: the same for every delivery of the entry (a handler that
    sees a key again must not repeat its effect), different for every change, of this store
    or any other (it carries its instance's nonce). ``id`` numbers
    the entries of a store in the order they were committed (an operator retries by it).
    ``attempts`` counts the deliveries begun, this one included.
    """

    id: int
    key: str
    kind: str
    instance_id: str
    payload: Any
    created_at: datetime
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    #: when a pending entry is due (for a retry, after its back-off); None once settled
    next_attempt_at: datetime | None = None
    #: what the last failed attempt raised
    last_error: str | None = None
    #: when it was delivered, skipped or given up on
    settled_at: datetime | None = None


#: what a host subscribes: called with each entry; raising fails the delivery (it is retried)
OutboxHandler = Callable[[OutboxRecord], object]


@dataclass(frozen=True, slots=True)
class OutboxPolicy:
    """How entries are delivered, retried, given up on and pruned.

    A failed delivery is retried after ``first_retry``, then after twice as long each time, at
    most ``max_retry`` apart; after ``max_attempts`` deliveries begun (a delivering process
    that died counts too) the entry is marked :attr:`OutboxStatus.FAILED`, logged, and left
    for an operator. The defaults keep trying for about eight hours. Delivered and skipped
    entries are deleted ``retention`` after they were settled, at most ``prune_every`` later.
    A ``retention`` or ``prune_every`` reaching past the dates there are (``timedelta.max``)
    means never: delivered entries are kept for ever. ``lease`` is how long a claim holds an
    entry (a delivery running longer may be repeated by another worker), at most
    :data:`~wfengine.runtime.job_arguments.MAX_LEASE`; ``batch`` how many entries one claim
    takes.
    """

    max_attempts: int = 20
    first_retry: timedelta = timedelta(seconds=1)
    max_retry: timedelta = timedelta(hours=1)
    retention: timedelta = timedelta(days=7)
    prune_every: timedelta = timedelta(hours=1)
    lease: timedelta = timedelta(minutes=5)
    batch: int = 100

    def __post_init__(self) -> None:
        # types first, naming the argument: ``lease=30`` used to fail as a bare TypeError
        # from the comparison below
        for name in ("first_retry", "max_retry", "retention", "prune_every", "lease"):
            value = getattr(self, name)
            if not isinstance(value, timedelta):
                raise TypeError(
                    f"OutboxPolicy({name}=...) takes a timedelta such as timedelta(minutes=5), "
                    f"not {_shown(value)}"
                )
        for name in ("max_attempts", "batch"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(
                    f"OutboxPolicy({name}=...) takes a whole number, not {_shown(value)}"
                )
        if self.max_attempts < 1 or self.batch < 1:
            raise ValueError("max_attempts and batch must be at least 1")
        if min(self.first_retry, self.max_retry, self.lease) <= timedelta(0):
            raise ValueError("first_retry, max_retry and lease must be positive")
        if self.retention < timedelta(0) or self.prune_every < timedelta(0):
            raise ValueError("retention and prune_every must not be negative")
        if self.lease > MAX_LEASE:  # (its end passed the last date: every claim an OverflowError)
            raise ValueError(
                f"OutboxPolicy(lease=...) is at most {MAX_LEASE.days} days (100 years), not "
                f"{self.lease}: an entry's lease is renewed while its batch is delivered, so "
                "minutes serve (the default: 5)"
            )

    def retry_after(self, attempts: int) -> timedelta:
        """The back-off after the ``attempts``-th failed delivery (1, 2, 4, ... first_retry),
        at most ``max_retry`` (compared before multiplying: a first_retry of years doubled 40
        times passes what a timedelta holds)."""
        factor = 1 << min(max(attempts - 1, 0), 40)
        if self.first_retry > self.max_retry / factor:
            return self.max_retry
        return self.first_retry * factor


def _outbox_kind(kind: str) -> str:
    """``kind`` as an :class:`OutboxKind` value, refused with the kinds there are when it is
    none of them (a misspelt kind would otherwise subscribe a handler that is never called)."""
    if not isinstance(kind, str):
        raise TypeError(
            f"outbox.subscribe: a kind is a string such as 'work_item.offered', not {_shown(kind)}"
        )
    try:
        return OutboxKind(kind).value
    except ValueError:
        known = ", ".join(k.value for k in OutboxKind)
        raise ValueError(f"{kind!r} is not an outbox kind; the kinds are: {known}") from None


def _check_handler(handler: object, kinds: object) -> None:
    """Refuse a handler that is not callable (naming what was given and the order), and kinds
    that are not strings or an iterable of them (see :meth:`OutboxHandlers.subscribe`)."""
    if not callable(handler):
        swapped = callable(kinds)
        raise TypeError(
            f"outbox.subscribe({_shown(handler)}, {_shown(kinds)}): "
            + ("the arguments are swapped: " if swapped else "the handler is not callable: ")
            + "the order is subscribe(handler, kinds), the handler a callable taking an "
            "entry, kinds a kind or a list of kinds such as ['work_item.offered']"
        )
    if _is_async(handler):
        raise TypeError(
            f"outbox.subscribe({_shown(handler)}, ...): the handler is async def, and delivery "
            "calls handlers as plain functions: its coroutine would never run and the entry "
            "would be marked delivered; subscribe a plain function (which may run the "
            "coroutine itself, asyncio.run(...), or hand it to the host's event loop)"
        )
    _check_arity(handler)
    if kinds is None or isinstance(kinds, str):
        return
    if not isinstance(kinds, Iterable):
        raise TypeError(
            f"outbox.subscribe: kinds is a kind or a list of kinds such as "
            f"['work_item.offered'] (None: every kind), not {_shown(kinds)}"
        )


def _check_arity(handler: object) -> None:
    """Refuse a handler that cannot be called with one argument, the entry, naming what it
    takes: one taking none or two was subscribed, then failed every delivery of its entries
    for eight hours. A callable whose signature Python cannot tell (some builtins) is
    taken as it is."""
    taken = unfit_signature(handler, (None,))  # type: ignore[arg-type]  # (checked callable)
    if taken is not None:
        params = str(taken) if taken.parameters else "no parameters"
        raise TypeError(
            f"outbox.subscribe({_shown(handler)}, ...): the handler takes {params}, and "
            "delivery calls it with one argument, the entry (an OutboxRecord): give it one "
            "parameter, def handler(record)"
        ) from None


def _is_async(handler: object) -> bool:
    """An ``async def`` function (a bound method, a partial of one), or an object whose
    ``__call__`` is ``async def``: calling it only makes a coroutine."""
    if inspect.iscoroutinefunction(handler):
        return True
    return not inspect.isroutine(handler) and inspect.iscoroutinefunction(type(handler).__call__)


def _shown(value: object) -> str:
    """A value as a refusal names it: a function by its name (a partial by its function's:
    its arguments may hold a webhook's token), anything else by its repr and type, cut
    short."""
    if isinstance(value, functools.partial):
        return f"<partial of {_shown(value.func)}>"
    name = getattr(value, "__qualname__", None)
    if callable(value) and name:
        return f"<{type(value).__name__} {name}>"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


@dataclass(eq=False)
class OutboxHandlers:
    """The handlers a host subscribed, by kind, and the delivery policy.

    One object may serve several engines (a worker's threads each have their own engine):
    pass it as ``Engine(outbox_handlers=...)``. An ``--apps`` module's ``subscribe(outbox)``
    is given one. Handlers of a kind are called in the order they were subscribed; handlers
    subscribed for every kind (``kinds=None``) after those.
    """

    policy: OutboxPolicy = field(default_factory=OutboxPolicy)
    _by_kind: dict[str, list[OutboxHandler]] = field(default_factory=dict)
    _for_all: list[OutboxHandler] = field(default_factory=list)

    def __setattr__(self, name: str, value: object) -> None:
        # ``handlers.policy = 5`` was taken, and every delivery then failed with a bare
        # "'int' object has no attribute 'prune_every'" (made or set later alike)
        if name == "policy" and not isinstance(value, OutboxPolicy):
            raise TypeError(
                "the outbox policy is an OutboxPolicy, such as "
                f"OutboxPolicy(max_attempts=5), not {_shown(value)}"
            )
        object.__setattr__(self, name, value)

    def subscribe(
        self, handler: OutboxHandler, kinds: Iterable[str] | None = None
    ) -> OutboxHandler:
        """Call ``handler`` with every entry of ``kinds`` (:class:`OutboxKind` values, or one
        kind as a string: ``"work_item.offered"``; None: every kind). Returns ``handler``, so
        this works as a decorator too.

        Why one string is taken as one kind: a string is itself an iterable of strings, so
        ``subscribe(h, "work_item.offered")`` would otherwise be read letter by letter.

        Both arguments are checked here, not at the first delivery: a handler that cannot be
        called (the arguments swapped, a kind's name in its place) would only fail every
        delivery attempt of its entries, hours later, far from the mistake.

        A handler subscribed already for a kind (compared by equality, as :meth:`unsubscribe`
        compares) is not added again: it is called once per entry. Why: a worker's
        ``make_engine`` subscribing on a shared object each time it is called had every
        entry sent once per thread. Subscribed for every kind, it leaves its kinds' lists
        and is called with the handlers for every kind."""
        _check_handler(handler, kinds)
        if kinds is None:
            if handler not in self._for_all:
                self.unsubscribe(handler)  # (out of its kinds' lists: it takes every kind now)
                self._for_all.append(handler)
            return handler
        if isinstance(kinds, str):
            kinds = [kinds]
        chosen = [_outbox_kind(k) for k in kinds]  # an unknown kind is a mistake: refused
        if not chosen:
            raise ValueError("kinds is empty: pass None to subscribe to every kind")
        if handler in self._for_all:
            return handler
        for kind in dict.fromkeys(chosen):
            subscribed = self._by_kind.setdefault(kind, [])
            if handler not in subscribed:
                subscribed.append(handler)
        return handler

    def unsubscribe(self, handler: OutboxHandler) -> None:
        """Stop calling ``handler`` (for every kind it was subscribed to). Handlers are
        compared by equality, not identity: ``listener.on_entry`` is a new bound-method object
        each time it is written, equal to the one subscribed but never the same."""
        self._for_all = [h for h in self._for_all if h != handler]
        for kind in list(self._by_kind):
            left = [h for h in self._by_kind[kind] if h != handler]
            if left:
                self._by_kind[kind] = left
            else:
                del self._by_kind[kind]

    def handlers(self, kind: str) -> list[OutboxHandler]:
        """The handlers an entry of ``kind`` goes to, in calling order."""
        return [*self._by_kind.get(kind, ()), *self._for_all]

    def handled_kinds(self) -> Collection[str] | None:
        """The kinds some handler takes; None when one takes every kind."""
        return None if self._for_all else frozenset(self._by_kind)

    def subscribed(self) -> bool:
        """Is any handler subscribed at all?"""
        return bool(self._for_all or self._by_kind)
