"""Process metrics from the audit trail: where work waits, how long it takes, who does it.

Per **activity** (its activity instances that completed, in a period when one is given; of a
multi-instance activity, its instances, not the container that spans them; of a Standard
loop, each round that ended, as each is offered, waited for and done anew:
:class:`~wfengine.runtime.activity_durations.Rounds`): how many (with
those a deadline ended: a synchronous deadline taken the exception way, whose
``deadline.fired`` says it ended them; they count as overdue, and have no durations); the
**waiting time**, from the activity instance's creation (it became ready; a person's work was
offered) to its start (a person started the work item, or the activity started), and the
**processing time**, from that start to its completion; each as mean, median and 95th
percentile; and the share that was **overdue** (a deadline fired on it, or, before it ended,
on the multi-instance container it belongs to: the deadline is the activity's, and fires on
the container that spans its instances, so, as with a loop's rounds, the instances that ended
after it fired are late and those that ended before were not; each instance has its own
container's, when two of one activity are open at once, in parallel branches or a loop
back). Per **process**: instances
started (an instance created and not yet started is open, not started), completed and open
now (work in progress), the **cycle time** of completed instances (from their start) and
their **throughput**: instances completed per day over the period (see
:func:`throughput_per_day`). Per **user**
(and per role and unit, with an organisation): the work items they completed (the trail's
``work_item.completed`` events, each credited to the user it names, or when the host's code
named none to whoever held the item) and the open ones they hold now; a unit's figures are
those of its members and of the units below it, as the organisation offers a unit's work to
them (a person counts once in each unit they are in or under). The **bottlenecks** are the
activities by total waiting time (count times mean), most first: where cases pile up.

Median and 95th percentile are nearest-rank percentiles: the smallest value with at least that
share of the values at or below it. Times are in seconds.

On the SQL store the figures come from the database (the activity-instance mirror and the
instance rows, a few numbers per activity instance: :mod:`wfengine.runtime.sql.metrics_sql`),
so they stay fast on a large trail; on the memory store, and as the reference the SQL is
tested against, :func:`activity_metrics_of` and :func:`instance_figures` compute the same
from the events and records.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from wfengine.audit.trail_clock import trail_now
from wfengine.runtime.activity_durations import ActivityDurations, Rounds, Span
from wfengine.runtime.audit_query import AuditQuery
from wfengine.runtime.deadline_events import ended_activity
from wfengine.runtime.history import EventKind
from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState
from wfengine.runtime.store import AuditEvent
from wfengine.runtime.work_item_events import WorkItemCompleted

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine

COMPLETED_KIND = "activity.completed"
#: an activity instance closed ``closed.terminated`` (by its deadline when the deadline's
#: ``deadline.fired`` says it ended it: :attr:`ActivityDurations.ended`)
TERMINATED_KIND = "activity.terminated"
LATE_KIND = "deadline.fired"
#: a work item completed: what the users' and groups' ``completed`` count
WORK_DONE_KIND = "work_item.completed"
#: a multi-instance activity started its instances: its container is not one of them (the
#: figures count the instances, the work; the container spans them all)
MI_STARTED_KIND = EventKind.MI_STARTED

#: (process instance, activity instance) of a multi-instance activity's instance -> that of
#: its container (:func:`mi_containers`)
Containers = Mapping[tuple[str, str], tuple[str, str]]

#: the shortest span a throughput is measured over when the trail, not the window, bounds it
#: (one case completed a second after it started does not make 86,400 a day)
MIN_OBSERVED_SPAN = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Durations:
    """Summary of a set of durations in seconds (all None when there are none)."""

    count: int
    mean: float | None
    median: float | None
    p95: float | None
    total: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Durations:
        if not values:
            return cls(0, None, None, None, 0.0)
        ordered = sorted(values)
        return cls(
            len(ordered),
            statistics.fmean(ordered),
            nearest_rank(ordered, 0.5),
            nearest_rank(ordered, 0.95),
            math.fsum(ordered),
        )

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "mean": self.mean, "median": self.median, "p95": self.p95}


def short_duration(seconds: float | None) -> str:
    """``seconds`` for people: ``45s``, ``12m``, ``3.5h``, ``12.3d`` from two days; None ``-``."""
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    if seconds < 172800:
        return f"{seconds / 3600:.1f}h"
    return f"{seconds / 86400:.1f}d"


def nearest_rank(ordered: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` percentile of ``ordered`` (sorted, not empty)."""
    rank = max(1, math.ceil(round(q * len(ordered), 9)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class ActivityMetrics:
    activity_id: str
    #: activity instances that completed, and those a deadline ended (a synchronous
    #: deadline taken the exception way; not one an operator ended after a reminder); the
    #: durations count the completed ones only (``waiting.count``)
    count: int
    waiting: Durations
    processing: Durations
    #: the share of them (of ``count``) a deadline fired on
    overdue_share: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "activity_id": self.activity_id,
            "count": self.count,
            "waiting": self.waiting.as_dict(),
            "processing": self.processing.as_dict(),
            "overdue_share": self.overdue_share,
        }


@dataclass(frozen=True, slots=True)
class WaitingNow:
    """Work waiting at an activity now: its instances not started yet, in open process
    instances (suspended ones too), and how long each has waited so far (whatever the
    window: work as it stands, as ``work_in_progress``)."""

    activity_id: str
    count: int
    waiting: Durations

    def as_dict(self) -> dict[str, Any]:
        return {
            "activity_id": self.activity_id,
            "count": self.count,
            "waiting": self.waiting.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class UserMetrics:
    user: str
    #: work items they completed
    completed: int
    #: open work items they hold now
    holding: int


@dataclass(frozen=True, slots=True)
class GroupMetrics:
    """A role's or unit's share: what its members completed and hold (a person in two
    groups counts in both)."""

    kind: str
    id: str
    completed: int
    holding: int


@dataclass(frozen=True, slots=True)
class ProcessMetrics:
    process_id: str
    started: int
    completed: int
    #: instances open now
    work_in_progress: int
    cycle_time: Durations
    #: instances completed per day over the period (:func:`throughput_per_day`)
    throughput_per_day: float | None
    activities: tuple[ActivityMetrics, ...]
    users: tuple[UserMetrics, ...]
    #: activity ids by total waiting time, most first (those that never waited left out):
    #: the completed instances' waiting and the waiting so far of those waiting now
    bottlenecks: tuple[str, ...]
    #: per role and unit of the engine's organisation (empty without one)
    groups: tuple[GroupMetrics, ...] = ()
    #: per activity with work waiting now (:class:`WaitingNow`), by activity id. Not in
    #: :meth:`as_dict`: ``wfengine stats --json``'s keys are a contract scripts rely on
    #: (the text prints it, after the lines it always printed)
    waiting_now: tuple[WaitingNow, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "process_id": self.process_id,
            "started": self.started,
            "completed": self.completed,
            "work_in_progress": self.work_in_progress,
            "cycle_time": self.cycle_time.as_dict(),
            "throughput_per_day": self.throughput_per_day,
            "activities": [a.as_dict() for a in self.activities],
            "users": [
                {"user": u.user, "completed": u.completed, "holding": u.holding} for u in self.users
            ],
            "bottlenecks": list(self.bottlenecks),
            "groups": [
                {"kind": g.kind, "id": g.id, "completed": g.completed, "holding": g.holding}
                for g in self.groups
            ],
        }


def activity_durations_of(
    events: Iterable[AuditEvent],
    since: datetime | None = None,
    until: datetime | None = None,
    containers: Containers | None = None,
    looped: Callable[[str, str], bool] | None = None,
) -> ActivityDurations:
    """activity id -> (waiting, processing, late) of each round of work of its instances
    that ended in ``[since, until)`` (an activity instance is one round, a Standard loop's
    one per iteration: :class:`~wfengine.runtime.activity_durations.Rounds`), from
    ``events`` (the whole trail of one process, in trail order), and in ``ended``
    how many a deadline ended in it (closed terminated by a synchronous deadline, see
    :class:`~wfengine.runtime.activity_durations.ActivityDurations`); in ``waiting_rounds``
    the later rounds that wait for a person now. An instance of a
    multi-instance activity is late when a deadline fired on its container at or before the
    time it ended (a deadline is the activity's: it fires on the container, which spans its
    instances; one that ended before it fired was not late), and a deadline that ended the
    container by the time the instance closed terminated ended the instance; its container
    is the one
    ``containers`` names (:func:`mi_containers`), else (a trail alone, or an instance
    recorded before its container was) the last one of its activity that its process
    instance started before it, which is another's when two are open at once. ``looped``
    (process instance, activity): whether it is a Standard loop, whose completion before
    any round ran counts nowhere (:class:`~wfengine.audit.loop_rounds.LoopActivities`;
    without it, such a loop counts one round, as the trail alone cannot tell)."""
    spans: dict[tuple[str, str], Span] = {}
    spanning: set[tuple[str, str]] = set()  # multi-instance containers: not counted
    #: (process instance, activity) -> its last multi-instance container so far
    latest: dict[tuple[str, str], tuple[str, str]] = {}
    #: a multi-instance activity's instance -> its container
    owner: dict[tuple[str, str], tuple[str, str]] = {}
    for e in events:
        ai, act = e.activity_instance_id, e.activity_id
        if ai is None or act is None:
            continue
        key = (e.instance_id, ai)
        if e.kind == MI_STARTED_KIND:
            spanning.add(key)
            latest[(e.instance_id, act)] = key
        span = spans.get(key)
        if span is None:
            loop = looped is not None and looped(e.instance_id, act)
            span = spans[key] = Span(act, Rounds(e.at, loop=loop))
            container = (containers or {}).get(key) or latest.get((e.instance_id, act))
            if container is not None:
                owner[key] = container
        span.rounds.see(e.kind, e.at)
        if e.kind == COMPLETED_KIND and (span.completed is None or e.at > span.completed):
            span.completed = e.at
        elif e.kind == LATE_KIND:
            span.fired(e.at, ended_activity(e.detail))
        elif e.kind == TERMINATED_KIND:
            span.terminated = e.at
    found = ActivityDurations()
    for key, span in spans.items():
        if key in spanning:
            continue
        container = owner.get(key)
        boss = spans.get(container) if container is not None else None
        for ready, started, ended_at, round_late in span.rounds.done:
            if (since is None or ended_at >= since) and (until is None or ended_at < until):
                late = round_late or (boss is not None and boss.late_by(ended_at))
                found.setdefault(span.activity_id, []).append(
                    (_seconds(ready, started), _seconds(started, ended_at), late)
                )
        if span.completed is None and span.terminated is None:
            waits = span.rounds.waiting_since
            if waits is not None:
                found.waiting_rounds[key] = waits
            continue
        closed = span.terminated if span.completed is None else None
        if closed is None or not (
            (since is None or closed >= since) and (until is None or closed < until)
        ):
            continue
        # ended by its deadline (or its container's, by the time it closed), not completed;
        # not one ended otherwise after an asynchronous deadline fired and let it go on
        if span.ended_at is not None or (boss is not None and boss.ended_by(closed)):
            found.ended[span.activity_id] = found.ended.get(span.activity_id, 0) + 1
    return found


def activity_metrics_of(
    events: Iterable[AuditEvent],
    since: datetime | None = None,
    until: datetime | None = None,
    containers: Containers | None = None,
) -> list[ActivityMetrics]:
    """The per-activity metrics of ``events`` (the whole trail of one process), over the
    activity instances that completed in ``[since, until)``, computed here: the reference the
    SQL store's query is checked against (``containers``: as for
    :func:`activity_durations_of`)."""
    return _activity_metrics(activity_durations_of(events, since, until, containers))


def _activity_metrics(
    durations: Mapping[str, list[tuple[float, float, bool]]],
) -> list[ActivityMetrics]:
    """Per activity: its count, the instances that completed and those a deadline ended
    (late, all of them: :class:`ActivityDurations`; a store's plain mapping has none); the
    durations of the completed ones; the share of them all that was late."""
    ended_by: dict[str, int] = getattr(durations, "ended", {})
    found = []
    for act in sorted(durations.keys() | ended_by.keys()):
        done = durations.get(act, [])
        ended = ended_by.get(act, 0)
        count = len(done) + ended
        late = sum(late for _, _, late in done) + ended
        waiting = Durations.of([w for w, _, _ in done])
        processing = Durations.of([p for _, p, _ in done])
        found.append(ActivityMetrics(act, count, waiting, processing, late / count))
    return found


def mi_containers(engine: Engine, process_id: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(process instance, activity instance) -> (process instance, its multi-instance
    container), for every instance of a multi-instance activity of ``process_id``'s instances
    that names its container (:attr:`~wfengine.runtime.snapshots.ActivityInstanceSnapshot.
    mi_parent_id`)."""
    return {
        (a.instance_id, a.id): (a.instance_id, a.mi_parent_id)
        for s in engine.instance_summaries(process_id=process_id)
        for a in engine.activity_instances(s.id)
        if a.mi_parent_id is not None
    }


def waiting_since(
    engine: Engine,
    process_id: str,
    rounds: Mapping[tuple[str, str], datetime] | None = None,
) -> dict[str, list[datetime]]:
    """activity id -> when each of its instances that waits now was created: not started, in
    an open instance of ``process_id`` (what the SQL store's ``activity_durations`` gives
    as :attr:`~wfengine.runtime.activity_durations.ActivityDurations.waiting_since`); and,
    of a Standard loop running a later round whose work waits for a person (``rounds``:
    :attr:`~wfengine.runtime.activity_durations.ActivityDurations.waiting_rounds`), when that
    round became ready."""
    found: dict[str, list[datetime]] = {}
    later = rounds or {}
    for s in engine.instance_summaries(process_id=process_id):
        if s.state.is_closed:
            continue
        for a in engine.activity_instances(s.id):
            if a.state is ActivityState.NOT_STARTED:
                found.setdefault(a.activity_id, []).append(a.started_at)
            elif not a.state.is_closed and (s.id, a.id) in later:
                found.setdefault(a.activity_id, []).append(later[(s.id, a.id)])
    return found


def _seconds(a: datetime, b: datetime) -> float:
    """Real seconds from ``a`` to ``b``: both turned into UTC first, as Python subtracts two
    times of one zone by their wall-clock readings (an hour out across a summer-time
    change)."""
    return (b.astimezone(UTC) - a.astimezone(UTC)).total_seconds()


def empty_window(since: datetime | None, until: datetime | None, flag: str = "") -> str | None:
    """Why ``[since, until)`` is empty (``until`` not after ``since``), None if it is not:
    the words ``wfengine stats`` and ``wfengine audit`` refuse it with (``flag="--"``)."""
    if since is None or until is None or since.astimezone(UTC) < until.astimezone(UTC):
        return None
    return f"{until.isoformat()} is not after {flag}since {since.isoformat()}: the window is empty"


def check_window(since: datetime | None, until: datetime | None) -> None:
    """Refuse a ``since`` or ``until`` that is not a time with a timezone as
    ``Engine.audit_events`` does (a ``TypeError`` or ``ValueError`` naming the argument), by
    the same check: a naive datetime or a text would otherwise fail deep inside, with a bare
    comparison error in memory or SQLAlchemy's error and statement on SQL. An ``until`` not
    after ``since`` is a ``ValueError`` naming ``until``, as ``wfengine stats`` refuses it:
    figures of zero would read as a period when nothing happened."""
    AuditQuery(since=since, until=until)
    if (reason := empty_window(since, until)) is not None:
        raise ValueError(f"until: {reason}")


def check_process(engine: Engine, process_id: object, caller: str = "process_metrics") -> None:
    """Refuse a ``process_id`` that is not text (None read every process on the memory
    store, none on SQLite) or names no deployed process (zeros, silently), naming
    ``caller`` for the first; the plots (:mod:`wfengine.audit.plots`) refuse with it too,
    so a typo is told in one message wherever the figures are asked for."""
    if not isinstance(process_id, str):
        raise TypeError(
            f"{caller}: process_id is the id of a deployed process (text), not {process_id!r}"
        )
    store: Any = engine.store
    if not store.versions(process_id):
        from wfengine.errors import NotFoundError

        known = ", ".join(sorted(store.deployed_process_ids())) or "none"
        raise NotFoundError("deployed process", process_id, f"deployed: {known}")


def process_metrics(
    engine: Engine,
    process_id: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> ProcessMetrics:
    """The metrics of ``process_id`` in ``[since, until)`` (all time by default): the
    instances that started in it, those that completed in it (cycle time, throughput), the
    activity instances that completed in it; the work in progress and the users' figures
    as they stand. ``since`` and ``until`` are times with a timezone (:func:`check_window`).
    Work waiting now has waited until the engine's clock, or, in a trail a simulation kept
    (``simulate(..., db_url=...)``), until the simulation's clock stopped
    (:mod:`wfengine.audit.trail_clock`).

    ``process_id`` must name a deployed process: an unknown one is a
    :class:`~wfengine.errors.NotFoundError` naming those deployed (as ``wfengine stats
    --process`` refuses it), not figures of zero that read as a process nobody used."""
    check_process(engine, process_id)
    check_window(since, until)
    store: Any = engine.store
    if hasattr(store, "activity_durations"):  # the SQL store: read in the database
        durations = store.activity_durations(process_id, since, until)
        started, opened, first, last, cycles = store.instance_stats(process_id, since, until)
        people: dict[str, tuple[int, int]] = store.user_stats(process_id)
    else:
        from wfengine.audit.exports import iter_events
        from wfengine.audit.loop_rounds import LoopActivities

        events = list(iter_events(engine, process_id=process_id))
        containers = mi_containers(engine, process_id)
        looped = LoopActivities(engine)
        durations = activity_durations_of(events, since, until, containers, looped)
        durations.waiting_since = waiting_since(engine, process_id, durations.waiting_rounds)
        (started, opened, first, last, cycles), people = instance_figures(
            engine, process_id, since, until, events=events
        )
    activities = _activity_metrics(durations)
    cycle = Durations.of(cycles)
    throughput = throughput_per_day(len(cycles), since, until, first, last)
    now = trail_now(engine)  # (a kept simulation trail's end: see audit.trail_clock)
    since_of: dict[str, list[datetime]] = getattr(durations, "waiting_since", {})
    waiting = tuple(
        # (not below 0: a trail a simulation wrote ahead of the reader's clock has not waited)
        WaitingNow(act, len(times), Durations.of([max(_seconds(t, now), 0.0) for t in times]))
        for act, times in sorted(since_of.items())
    )
    totals = {a.activity_id: a.waiting.total for a in activities}
    for w in waiting:  # work piling up where none is done yet is a bottleneck too
        totals[w.activity_id] = totals.get(w.activity_id, 0.0) + w.waiting.total
    ranked = sorted(
        (act for act, total in totals.items() if total > 0), key=lambda a: (-totals[a], a)
    )
    return ProcessMetrics(
        process_id=process_id,
        started=started,
        completed=cycle.count,
        work_in_progress=opened,
        cycle_time=cycle,
        throughput_per_day=throughput,
        activities=tuple(activities),
        users=tuple(UserMetrics(u, *people[u]) for u in sorted(people)),
        bottlenecks=tuple(ranked),
        groups=_groups(engine, people),
        waiting_now=waiting,
    )


def throughput_per_day(
    completed: int,
    since: datetime | None,
    until: datetime | None,
    first_start: datetime | None,
    last_completion: datetime | None,
) -> float | None:
    """Instances ``completed`` in a period, per day of it.

    The period is the window ``[since, until)``; a side the window leaves open is bounded by
    the trail: the first instance started in the window (``first_start``) and the last one
    completed in it (``last_completion``). A span the trail bounds counts at least
    :data:`MIN_OBSERVED_SPAN`; a window's own length counts as it is. None when the period
    has no length (an open side with nothing in the window to bound it, or a window that
    ends where it starts)."""
    start = since if since is not None else first_start
    end = until if until is not None else last_completion
    if start is None or end is None:
        return None
    span = end.astimezone(UTC) - start.astimezone(UTC)  # real time (see _seconds)
    if since is None or until is None:
        span = max(span, MIN_OBSERVED_SPAN)
    if span <= timedelta(0):
        return None
    return completed / (span / timedelta(days=1))


def _groups(engine: Engine, people: dict[str, tuple[int, int]]) -> tuple[GroupMetrics, ...]:
    """The users' figures summed per role and unit, when the directory is an organisation
    (one that knows its users' roles and units). A unit's members are those of the units
    below it too, as the organisation offers work to them: a person counts in their units
    and in every unit above them, once each."""
    find = getattr(engine.directory, "user", None)
    if find is None:
        return ()
    above = getattr(engine.directory, "units_above", None)
    sums: dict[tuple[str, str], tuple[int, int]] = {}
    for user_id, (completed, holding) in people.items():
        user = find(user_id)
        if user is None:
            continue
        keys = [("role", r) for r in user.roles]
        units = user.units if above is None else [u.id for i in user.units for u in above(i)]
        keys += [("unit", u) for u in dict.fromkeys(units)]  # each once, nearest first
        for key in keys:
            done, held = sums.get(key, (0, 0))
            sums[key] = (done + completed, held + holding)
    return tuple(GroupMetrics(k, i, *sums[(k, i)]) for k, i in sorted(sums))


def instance_figures(
    engine: Engine,
    process_id: str,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    events: Iterable[AuditEvent] | None = None,
) -> tuple[
    tuple[int, int, datetime | None, datetime | None, list[float]], dict[str, tuple[int, int]]
]:
    """What the SQL store's ``instance_stats`` and ``user_stats`` answer, from the records:
    (instances started in ``[since, until)``, open now, first of them started, last
    completed in the window, the cycle time, start to completion, of each completed in
    it), and user -> (work
    items they completed, open work items they hold). ``events``: the process's trail when
    the caller has it read already."""

    def inside(at: datetime | None) -> bool:
        return at is not None and (since is None or at >= since) and (until is None or at < until)

    summaries = engine.instance_summaries(process_id=process_id)
    # started when it was started, not created: one never started is open, not started, and
    # a cycle runs from the start (one that completed did start; its creation stands in
    # should a record not say when)
    begun = [s.started_at for s in summaries if s.started_at is not None and inside(s.started_at)]
    done = [s for s in summaries if s.state is ProcessState.COMPLETED and inside(s.completed_at)]
    cycles = [
        _seconds(s.started_at or s.created_at, s.completed_at) for s in done if s.completed_at
    ]
    first = min(begun, default=None)
    last = max((s.completed_at for s in done if s.completed_at), default=None)
    opened = sum(not s.state.is_closed for s in summaries)
    people: dict[str, tuple[int, int]] = {}
    if events is None:
        from wfengine.audit.exports import iter_events

        events = iter_events(engine, process_id=process_id, kind=WORK_DONE_KIND)
    for who in _completers(engine, events):
        n, held = people.get(who, (0, 0))
        people[who] = (n + 1, held)
    for summary in summaries:
        if summary.state.is_closed:
            continue
        for item in engine.work_items(summary.id):
            if item.holder is not None and item.state is not WorkItemState.OFFERED:
                n, held = people.get(item.holder, (0, 0))
                people[item.holder] = (n, held + 1)
    return (len(begun), opened, first, last, cycles), people


def _completers(engine: Engine, events: Iterable[AuditEvent]) -> Iterator[str]:
    """Who completed each work item ``events`` (a process's trail) say was completed: the
    user the completion names, else (the host's code named none) whoever held the item."""
    for event in events:
        if event.kind != WORK_DONE_KIND:
            continue
        done = WorkItemCompleted.of(event.detail)
        who = done.user or engine.work_item(done.work_item_id).holder
        if who is not None:
            yield who
