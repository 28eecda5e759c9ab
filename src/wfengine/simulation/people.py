"""The simulated people: they learn of work through the outbox, as a worklist handler does,
and take it through the worklist (claim, start, complete) when their calendar is open.

Each work item offered waits in a **pool**, the set of people it is offered to; a person who
becomes free takes the best item among the pools they belong to: the oldest (``fifo``), or
the one of the highest activity priority, then the oldest (``priority``). An item offered
while some of its people are free goes to the one free the longest; one of a sequential
ad-hoc set waits on offer until its turn comes (:mod:`wfengine.simulation.turns`). Work in
progress pauses outside the person's calendar. What people do is measured here: the time each spends
working (utilisation) and, per activity, how many items wait to be taken over time.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from wfengine.runtime.outbox import OutboxKind, OutboxRecord
from wfengine.simulation.calendar import WorkingCalendar, after, elapsed
from wfengine.simulation.clock_end import MomentPastTheClock

#: the outbox kinds that change who may take which item
WATCHED = (
    OutboxKind.WORK_ITEM_OFFERED,
    OutboxKind.WORK_ITEM_ASSIGNED,
    OutboxKind.WORK_ITEM_CANCELLED,
    OutboxKind.WORK_ITEM_ESCALATED,
    OutboxKind.WORK_ITEM_SENT_BACK,
)


class NotTheirs(Exception):
    """Raised by the run's ``take`` when the engine refuses the item to that person although
    it was offered to them: four eyes (``DoNotAssignToPerformerOfActivity``) narrows an item
    already on offer when the other activity completes, and no outbox entry says so. The
    item then waits for the rest of its people only."""


@dataclass(slots=True, eq=False)
class Person:
    id: str
    calendar: WorkingCalendar
    groups: tuple[str, ...]
    #: what they work on now (a work item id), None when free
    working: str | None = None
    #: since when they have been free (the longest-free takes an item first)
    free_since: datetime | None = None
    #: waiting for their calendar to open (a wake-up is scheduled)
    asleep: bool = False
    busy_seconds: float = 0.0
    started_at: datetime | None = None

    def count_busy(self, until: datetime) -> None:
        """Add the working time of the item in hand up to ``until`` (calendar-open time)."""
        if self.started_at is not None:
            self.busy_seconds += self.calendar.open_seconds(self.started_at, until)
            self.started_at = until

    pools: list[tuple[str, ...]] = field(default_factory=list)


@dataclass(slots=True)
class QueueTrack:
    """How many items of one activity wait to be taken, over time."""

    length: int = 0
    peak: int = 0
    area: float = 0.0
    since: datetime | None = None
    #: (moment, length) at each change
    changes: list[tuple[datetime, int]] = field(default_factory=list)

    def advance(self, at: datetime) -> None:
        """Count the time since the last change at the current length."""
        if self.since is not None:  # (in real time: on the fall-back night 02:10 winter
            # time comes after 02:50 summer time, which Python's wall-clock order denies)
            self.area += self.length * max(elapsed(self.since, at).total_seconds(), 0.0)
        self.since = at

    def move(self, at: datetime, by: int) -> None:
        self.advance(at)
        self.length += by
        self.peak = max(self.peak, self.length)
        self.changes.append((at, self.length))


@dataclass(slots=True)
class _Queued:
    activity: str
    assignees: tuple[str, ...]
    key: tuple[Any, ...]
    #: allocated to its one assignee already (started without a claim)
    allocated: bool = False
    #: the queue it counts in (its activity's; ``PROCESS/ACTIVITY`` for a called process's
    #: step whose id another process uses too)
    queue: str = ""
    #: its process instance (parked items are looked up again only when it changed)
    instance: str = ""


def _longest_free(person: Person) -> tuple[datetime | None, str]:
    """The order in which free people take an item: free the longest first, in real time
    (UTC: a zone's moments compare on their wall clock, wrongly across the clocks going
    back), then by id."""
    since = person.free_since
    return (None if since is None else since.astimezone(UTC), person.id)


class Staff:
    """The people of one simulation run and the work waiting for them.

    ``take(item_id, person, step, allocated)`` and ``schedule(at, kind, payload)`` are
    the run's: the first claims (unless the item is allocated to them already) and starts the
    item in the engine and returns the seconds of work it will take (None when the item was
    withdrawn meanwhile),
    the second puts a wake-up or a finish on the run's event queue. ``step`` (as a finish and
    ``priority_of`` have it) is the queue the item counts in (its activity's id, or
    ``PROCESS/ACTIVITY`` by ``queue_of``): the run finds what the scenario gives the step by
    it. ``take`` raises :class:`NotTheirs` when the engine refuses the item to that person.
    ``unschedule(item_id)`` takes the finish of an item withdrawn from under its worker off the
    run's queue (left there, the run would go on to the moment the withdrawn work would have
    ended).
    ``waits(item_id, activity)`` says whether an item waits for its turn in a sequential
    ad-hoc set (:mod:`wfengine.simulation.turns`): nobody takes it before, as the engine would
    refuse its start; it stays on offer, parked, and goes out once its turn came.
    ``changed()`` names the process instances the engine changed since it was last asked:
    only their parked items can have had their turn come (without it, every parked item is
    looked up each time, which grows with the square of the cases waiting).
    ``worker_of(item_id)`` is who the store says works on an item now (started it): an
    outbox entry telling an item back on offer was written before the claim of whoever took
    it since, when both happened at one moment, and must not take it from them.
    """

    def __init__(
        self,
        now: Callable[[], datetime],
        person_of: Callable[[str], Person],
        priority_of: Callable[[str], int] | None,
        take: Callable[[str, str, str, bool], float | None],
        schedule: Callable[[datetime, str, Any], None],
        unschedule: Callable[[str], None] | None = None,
        queue_of: Callable[[str, str], str] | None = None,
        waits: Callable[[str, str], bool] | None = None,
        changed: Callable[[], Collection[str]] | None = None,
        worker_of: Callable[[str], str | None] | None = None,
    ) -> None:
        self._waits = waits
        self._changed = changed
        self._worker_of = worker_of
        #: items on offer that wait for their turn (in ``_queued``, out of the pools' heaps),
        #: and their process instance
        self._parked: dict[str, str] = {}
        #: process instance -> its parked items
        self._parked_in: dict[str, dict[str, None]] = {}
        #: (instance id, activity id) -> the queue an item counts in (default: the activity)
        self._queue_of = queue_of
        self._now = now
        self._person_of = person_of
        self._priority = priority_of
        self._take = take
        self._schedule = schedule
        self._unschedule = unschedule
        self.people: dict[str, Person] = {}
        self._pools: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        self._queued: dict[str, _Queued] = {}
        self._seq = itertools.count()
        self.queues: dict[str, QueueTrack] = {}
        #: items offered to nobody (they wait for ever) -> the queue they wait in (counted
        #: there: the report gives their activity its row and names it)
        self.unassigned: dict[str, str] = {}
        self._touched: list[str] = []
        #: item in progress -> who works on it
        self._working: dict[str, str] = {}
        #: every item a simulated person took
        self._taken: set[str] = set()
        self._freed: list[Person] = []
        #: people whose item was taken from them (see :meth:`finished`)
        self._freed_last: list[Person] = []

    # -- what the outbox tells ---------------------------------------------------------------

    def __call__(self, record: OutboxRecord) -> None:
        """An outbox handler: file, re-file or drop the item the entry is about."""
        payload: Mapping[str, Any] = record.payload
        item_id = payload["work_item_id"]
        activity = payload["activity_id"]
        kind = record.kind
        if (
            kind != OutboxKind.WORK_ITEM_CANCELLED
            and payload.get("holder") is None
            and item_id in self._working
            and not self._still_working(item_id)
        ):
            # taken from the one working on it (an escalation puts a started item back on
            # offer): they stop, and it is filed for those it is offered to now
            self._stop_work(item_id, taken=True)
            self._taken.discard(item_id)
        if kind == OutboxKind.WORK_ITEM_OFFERED:
            self._file(item_id, activity, tuple(payload["assignees"]), record, allocated=False)
            return
        if kind == OutboxKind.WORK_ITEM_CANCELLED:
            self._drop(item_id)
            self._stop_work(item_id)
            return
        if item_id in self._taken:
            return  # our own claim told back (perhaps after the work was done already)
        holder = payload.get("holder")
        if holder is not None:
            # allocated to one person: at once by the definition (an assignment rule), or
            # sent back straight to them: theirs to start, without a claim
            self._file(item_id, activity, (holder,), record, allocated=True)
        elif kind == OutboxKind.WORK_ITEM_SENT_BACK or item_id in self._queued:
            # back in the pool, or offered to more people (escalated): filed anew, keeping
            # its place in the queue when it had one
            self._file(item_id, activity, tuple(payload["assignees"]), record, allocated=False)

    def _still_working(self, item_id: str) -> bool:
        """Does the store say the one working on ``item_id`` still does? Yes when the entry
        telling it back on offer was written before they took it (an escalation due at the
        moment they became free: the run's jobs write it before the people act, and the
        outbox tells it after); taken from them then, they were given it again, and its
        start was refused."""
        return self._worker_of is not None and self._worker_of(item_id) == self._working[item_id]

    def _file(
        self,
        item_id: str,
        activity: str,
        assignees: tuple[str, ...],
        record: OutboxRecord,
        *,
        allocated: bool,
    ) -> None:
        """Queue ``item_id`` for ``assignees`` (re-filed: it keeps its place); ``record`` is
        the entry that tells it, whose instance the queue it counts in is looked up by (only
        here: an entry that files nothing needs none)."""
        queue = activity if self._queue_of is None else self._queue_of(record.instance_id, activity)
        now = self._now()
        self._unpark(item_id)  # (its turn is looked up again as it is offered)
        before = self._queued.pop(item_id, None)
        waited = before is not None or self.unassigned.pop(item_id, None) is not None
        if not assignees:  # (it waits all the same: for no one, in its activity's queue)
            self.unassigned[item_id] = queue
            if not waited:
                self._track(queue).move(now, 1)
            return
        if before is not None:
            key = before.key
        else:
            priority = 0 if self._priority is None else self._priority(queue)
            seq = next(self._seq)
            key = (-priority, seq) if self._priority is not None else (seq,)
            if not waited:
                self._track(queue).move(now, 1)
        pool = self._pools.get(assignees)
        if pool is None:
            pool = self._pools[assignees] = []
            for pid in assignees:
                self.person(pid).pools.append(assignees)
        heapq.heappush(pool, (*key, item_id))
        self._queued[item_id] = _Queued(
            activity, assignees, key, allocated, queue, record.instance_id
        )
        self._touched.append(item_id)

    def _drop(self, item_id: str) -> None:
        queued = self._queued.pop(item_id, None)  # its heap entry is skipped as stale
        self._unpark(item_id)
        queue = queued.queue if queued is not None else self.unassigned.pop(item_id, None)
        if queue is not None:
            self._track(queue).move(self._now(), -1)

    def _stop_work(self, item_id: str, *, taken: bool = False) -> None:
        """Whoever works on ``item_id`` stops (withdrawn; ``taken``: put back on offer, when
        they look for work only after the item went to whoever was free the longest)."""
        person_id = self._working.get(item_id)
        if person_id is not None:
            self.finished(self.people[person_id], withdrawn=True, last=taken)
            if self._unschedule is not None:
                self._unschedule(item_id)

    def _track(self, activity: str) -> QueueTrack:
        found = self.queues.get(activity)
        if found is None:
            found = self.queues[activity] = QueueTrack()
        return found

    # -- who takes what ----------------------------------------------------------------------

    def person(self, person_id: str) -> Person:
        found = self.people.get(person_id)
        if found is None:
            found = self.people[person_id] = self._person_of(person_id)
            found.free_since = self._now()
        return found

    def dispatch(self) -> None:
        """Give the items filed since the last dispatch to free people."""
        self._turns_came()
        freed, self._freed = self._freed, []
        for person in freed:
            if person.working is None and not person.asleep:
                self.next_for(person)
        # an item refused to someone (four eyes) is filed again for the others: handed out
        # in this same dispatch (each refusal narrows a pool, so this ends); those whose item
        # was taken from them look for work once the items offered have gone out
        while True:
            while self._touched:
                # in queue order (the policy's): work offered at one moment goes out by
                # priority, then age, as it would have from the queue
                queued = self._queued
                touched = sorted(
                    {i for i in self._touched if i in queued}, key=lambda i: queued[i].key
                )
                self._touched = []
                for item_id in touched:
                    self._offer(item_id)
            if not self._freed_last:
                return
            last, self._freed_last = self._freed_last, []
            for person in last:
                if person.working is None and not person.asleep:
                    self.next_for(person)

    def _offer(self, item_id: str) -> None:
        """``item_id`` was filed: the one of its people free the longest takes it."""
        queued = self._queued.get(item_id)
        if queued is None:
            return
        free = [
            p
            for p in map(self.person, queued.assignees)
            if p.working is None and not p.asleep and self._awake(p)
        ]
        if free:
            chosen = min(free, key=_longest_free)
            if not self._give(chosen, item_id):
                self._freed.append(chosen)  # still free: the next dispatch looks again

    def _awake(self, person: Person) -> bool:
        """Is ``person``'s calendar open now? If not, they sleep until it opens."""
        now = self._now()
        if person.calendar.always or person.calendar.is_open(now):
            return True
        try:
            opens = person.calendar.next_open(now)
        except OverflowError:  # no opening before datetime.max
            raise MomentPastTheClock(f"the next opening of {person.id}'s calendar") from None
        person.asleep = True
        if opens is not None:
            self._schedule(opens, "wake", person.id)
        return False

    def busy(self) -> bool:
        """Is anyone working on an item now?"""
        return bool(self._working)

    def waiting(self) -> bool:
        """Is any work item waiting for a person? (Without, someone waking changes nothing;
        one that waits for its turn goes out when the activity in progress closes.)"""
        return len(self._queued) > len(self._parked)

    def woke(self, person_id: str) -> None:
        person = self.people[person_id]
        person.asleep = False
        if person.working is None:
            self.next_for(person)

    def next_for(self, person: Person) -> None:
        """``person`` is free: they take the best item waiting for them, if any."""
        if not self._awake(person):
            return
        while True:
            best: tuple[Any, ...] | None = None
            for key in person.pools:
                pool = self._pools[key]
                while pool and not self._filed(pool[0][-1], key):
                    heapq.heappop(pool)  # taken, withdrawn, or filed for other people
                if pool and (best is None or pool[0] < best):
                    best = pool[0]
            if best is None or self._give(person, best[-1]):
                return

    def _filed(self, item_id: str, pool: tuple[str, ...]) -> bool:
        """Does ``item_id`` still wait in ``pool``? (A re-filed item leaves its old heap
        entry behind, to be skipped.)"""
        queued = self._queued.get(item_id)
        return queued is not None and queued.assignees == pool and item_id not in self._parked

    def _give(self, person: Person, item_id: str) -> bool:
        """``person`` takes ``item_id``; False when it was withdrawn before they could (its
        cancellation not told yet), or when it waits for its turn (then parked: it stays on
        offer, counted in its queue, until :meth:`_turns_came`)."""
        queued = self._queued[item_id]
        if self._waits is not None and self._waits(item_id, queued.activity):
            self._parked[item_id] = queued.instance
            self._parked_in.setdefault(queued.instance, {})[item_id] = None
            return False
        del self._queued[item_id]
        now = self._now()
        self._track(queued.queue).move(now, -1)
        self._taken.add(item_id)
        try:
            seconds = self._take(item_id, person.id, queued.queue, queued.allocated)
        except NotTheirs:
            self._taken.discard(item_id)
            self._refuse(item_id, queued, person.id)
            return False
        if seconds is None:
            return False
        person.working = item_id
        person.started_at = now
        if person.calendar.always:
            ends = after(now, timedelta(seconds=seconds))
        else:
            ends = person.calendar.finish(now, seconds)
        self._working[item_id] = person.id
        self._schedule(ends, "finish", (person.id, item_id, queued.queue, seconds))
        return True

    def _refuse(self, item_id: str, queued: _Queued, person_id: str) -> None:
        """The engine refused ``item_id`` to ``person_id``: it waits, in its place, for the
        others it is offered to; for no one (unassigned) when none are left."""
        left = tuple(p for p in queued.assignees if p != person_id)
        self._track(queued.queue).move(self._now(), 1)  # (it waits again)
        if not left:
            self.unassigned[item_id] = queued.queue
            return
        pool = self._pools.get(left)
        if pool is None:
            pool = self._pools[left] = []
            for pid in left:
                self.person(pid).pools.append(left)
        heapq.heappush(pool, (*queued.key, item_id))
        self._queued[item_id] = replace(queued, assignees=left, allocated=False)
        self._touched.append(item_id)

    def finished(self, person: Person, *, withdrawn: bool = False, last: bool = False) -> None:
        """``person`` ended their item (done, or withdrawn from under them: ``last``, they
        look for work after the items offered meanwhile have gone to those free longer)."""
        now = self._now()
        if person.working is not None and self._working.get(person.working) == person.id:
            del self._working[person.working]  # (not when someone else works on it now)
        person.count_busy(now)
        person.working = None
        person.started_at = None
        person.free_since = now
        if withdrawn:  # told by the outbox: they look for more work at the next dispatch
            (self._freed_last if last else self._freed).append(person)
        else:
            # (an item whose turn their item's close passed on goes out at the next
            # dispatch, to whoever of its people is free the longest, not to them at once)
            self.next_for(person)

    def _turns_came(self) -> None:
        """Put the parked items whose turn came back in their pools, in their place (the
        activity of their set in progress closed, in a person's hands, a subflow, a block,
        a Tool's applications). Nothing the outbox tells marks an activity's close, so the
        items are looked up again each time the run moves on: only those of the instances
        the engine changed meanwhile (``changed``), as only a change can pass a turn on."""
        changed = self._changed() if self._changed is not None else None
        if not self._parked:
            return
        if changed is None:
            items = list(self._parked)
        else:
            parked_in = self._parked_in
            items = [i for inst in changed if inst in parked_in for i in parked_in[inst]]
        for item_id in items:
            queued = self._queued[item_id]
            if self._waits is not None and self._waits(item_id, queued.activity):
                continue
            self._unpark(item_id)
            heapq.heappush(self._pools[queued.assignees], (*queued.key, item_id))
            self._touched.append(item_id)

    def _unpark(self, item_id: str) -> None:
        """``item_id`` no longer waits for its turn (it came, or the item was filed anew or
        withdrawn)."""
        instance = self._parked.pop(item_id, None)
        if instance is None:
            return
        items = self._parked_in[instance]
        del items[item_id]
        if not items:
            del self._parked_in[instance]

    def close(self, at: datetime) -> None:
        """The run ended at ``at``: count the work still in progress and the queues' tails."""
        for person in self.people.values():
            person.count_busy(at)
        for track in self.queues.values():
            track.advance(at)
