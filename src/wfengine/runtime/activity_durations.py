"""The per-activity durations process metrics are made of, as every store answers them (the
SQL store in :mod:`wfengine.runtime.sql.metrics_sql`, the memory store's trail in
:func:`wfengine.audit.metrics.activity_durations_of`): a module of its own so that the
metrics of a memory store need not import SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class ActivityDurations(dict[str, list[tuple[float, float, bool]]]):
    """activity id -> (waiting, processing, late) of each round of work of its instances that
    ended (:class:`Rounds`: an activity instance is one, a Standard loop's as many as it ran);
    and in
    :attr:`ended`, activity id -> how many of its instances a deadline ended instead.

    Why a second figure: a synchronous deadline (taken the exception way) interrupts a late
    activity instance, which closes ``closed.terminated``, never ``closed.completed``: counted
    with the completed ones only, an activity whose every late instance was interrupted
    showed an overdue share of 0 beside its ``deadline.fired`` events. An ended instance
    has no completion to measure a processing time to, so it counts in the activity's
    count and overdue share (:mod:`wfengine.audit.metrics`), not in its durations; kept
    apart here so that what reads only the durations (plots, simulation) is unchanged."""

    def __init__(self) -> None:
        super().__init__()
        #: activity id -> instances closed ``closed.terminated`` after a deadline fired on
        #: them (or on their multi-instance container), in the window by when they closed
        self.ended: dict[str, int] = {}
        #: activity id -> when each of its instances that waits now was created: open (in an
        #: open process instance, suspended ones too) and not started. Why: work piling up
        #: at an activity nobody has done yet counted nowhere, so the bottlenecks named only
        #: activities whose work was done (whatever the window: work as it stands)
        self.waiting_since: dict[str, list[datetime]] = {}
        #: (process instance, activity instance) -> when the later round of a Standard loop
        #: it runs became ready, where that round's work waits for a person now
        #: (:attr:`Rounds.waiting_since`; the memory store's trail, which
        #: :func:`wfengine.audit.metrics.waiting_since` adds to those of open instances)
        self.waiting_rounds: dict[tuple[str, str], datetime] = {}


#: the kinds that show a round's work began: a person started its work item or completed it
#: unstarted, or the activity started (the first round's start; the first one counts)
ROUND_START_KINDS = frozenset({"work_item.started", "work_item.completed", "activity.started"})
#: a round of a Standard loop ended (the next one, if any, is ready from then)
ITERATION_KIND = "activity.iteration"
#: a later round's work was offered to people: it waits for one to start it
OFFERED_KIND = "work_item.offered"
#: the activity instance completed: it closes the round in progress, if any
COMPLETED_KIND = "activity.completed"
#: a deadline fired on the activity instance
LATE_KIND = "deadline.fired"
#: the person working the round's work item gave it back (on offer, or to its owner)
RELEASED_KIND = "work_item.released"

#: what a tested-first (while) loop records before it tests its condition: a loop instance
#: that completes having recorded nothing else ran no round (:func:`no_round`)
BEFORE_TEST_KINDS = frozenset({"activity.created", "activity.started"})


def no_round(kinds: list[str]) -> bool:
    """Whether a Standard loop's activity instance whose events so far have ``kinds`` (in
    trail order), the last its ``activity.completed``, completed without running a round.

    Why from the trail: the engine records a loop's ``activity.started`` (an automatic one's)
    before it tests a while loop's condition, so a loop whose condition was false at once
    shows ``activity.started`` then ``activity.completed``, as a plain activity that ran
    does; only a loop's completion before any other event tells it ran nothing (every
    round that runs records its work and its ``activity.iteration``)."""
    return bool(kinds) and kinds[-1] == COMPLETED_KIND and BEFORE_TEST_KINDS.issuperset(kinds[:-1])


#: one round of work: (ready, started, ended, late)
Round = tuple[datetime, datetime, datetime, bool]


class Rounds:
    """One activity instance's rounds of work, from its events in trail order (:meth:`see`).

    Why rounds: a Standard loop is one activity instance whose every round is offered, waited
    for and done anew (the trail marks each round's end with ``activity.iteration``). Measured
    as one piece of work, its later rounds' waiting counted as processing, and a later round
    waiting for a person counted nowhere as waiting. So each round is measured: it is ready
    when the activity instance was created (the first) or when the round before ended; it
    starts at the first start after that (its work item started, or completed unstarted; the
    first round's ``activity.started``), or, a later round of work nobody was offered (an
    automatic round), as soon as it is ready; it ends at its ``activity.iteration``, or the
    activity's completion. An activity without a loop is one round, measured as always.

    A loop that ran no round (a while loop whose condition was false at once) completed
    without any work: it has no round, so it counts nowhere (:attr:`done` stays empty;
    ``loop``: the activity instance is a Standard loop's, whose completion right after its
    ``activity.started`` is such a loop's, :func:`no_round`, not a round that ran).
    A round is late when a deadline fired on the activity instance before it ended (a loop's
    deadline spans its rounds: those after it fired are late, those before were not)."""

    __slots__ = (
        "_closed",
        "_later",
        "_loop",
        "_offered",
        "_ready",
        "_released",
        "_seen",
        "_started",
        "done",
        "late",
    )

    def __init__(self, ready: datetime, *, loop: bool = False) -> None:
        #: the rounds that ended, in order
        self.done: list[Round] = []
        #: a deadline fired on the activity instance so far
        self.late = False
        self._ready = ready
        self._started: datetime | None = None
        #: when the round's work, begun, was given back unstarted (None: it was not, or
        #: someone has started it since)
        self._released: datetime | None = None
        self._offered = False
        self._later = False  # a round ended before the one in progress
        self._closed = False
        self._loop = loop
        #: the kinds seen while they may still be a loop's that runs no round
        self._seen: list[str] = []

    def see(self, kind: str, at: datetime) -> None:
        """Take the activity instance's next event (its kind, when) into account."""
        if self._closed:
            return
        if self._loop and len(self._seen) <= len(BEFORE_TEST_KINDS):
            self._seen.append(kind)
        if kind in ROUND_START_KINDS:
            if self._started is None:
                self._started = at
            if kind != "activity.started":
                self._released = None
        elif kind == RELEASED_KIND:
            if self._started is not None:
                self._released = at
        elif kind == OFFERED_KIND:
            self._offered = True
        elif kind == ITERATION_KIND:
            self._end(at)
            self._ready, self._started, self._offered, self._later = at, None, False, True
            self._released = None
        elif kind == COMPLETED_KIND:
            # the round in progress, if its work began (after a loop's last round the
            # completion follows its ``activity.iteration``: no round of its own)
            if self._started is not None and not (self._loop and no_round(self._seen)):
                self._end(at)
            self._closed = True
        elif kind == LATE_KIND:
            self.late = True

    def _end(self, at: datetime) -> None:
        started = self._started
        if started is None:  # a later round nobody was offered ran at once; else unstarted
            started = self._ready if (self._later and not self._offered) else at
        self.done.append((self._ready, started, at, self.late))

    @property
    def waiting_since(self) -> datetime | None:
        """When the work of the round in progress began to wait for a person again, where it
        waits now and the activity instance runs on (so its state does not tell): a later
        round's, offered and not started, since it became ready (the first round's wait shows
        as its activity instance's state, not started); a round whose work a person started
        and gave back (released, on offer or to its owner), unstarted since, from the release.
        Why the release: such work sat unheld while the figures listed nothing waiting.
        Its duration still runs from its first start (waiting: offered to first started)."""
        if self._closed:
            return None
        if self._later and self._offered and self._started is None:
            return self._ready
        return self._released


@dataclass(slots=True)
class Span:
    """One activity instance as a trail tells it (what
    :func:`wfengine.audit.metrics.activity_durations_of` measures the memory store's figures
    from): its rounds, when it closed, and when deadlines fired on it."""

    activity_id: str
    #: its rounds of work (one, but for a Standard loop's: :class:`Rounds`)
    rounds: Rounds
    completed: datetime | None = None
    terminated: datetime | None = None
    #: when a deadline first fired on it (None: none did), and when one fired that ended it
    #: (a synchronous deadline: its ``deadline.fired`` says so, or, written before that was
    #: recorded, does not say otherwise: ``ended_activity``); a multi-instance container's
    #: are what each of its instances compares its own end with
    fired_at: datetime | None = None
    ended_at: datetime | None = None

    def fired(self, at: datetime, ends: bool) -> None:
        """A deadline fired on it at ``at`` (``ends``: it ended it); the earliest counts (a
        trail's times need not grow with its order)."""
        self.fired_at = at if self.fired_at is None else min(self.fired_at, at)
        if ends:
            self.ended_at = at if self.ended_at is None else min(self.ended_at, at)

    def late_by(self, end: datetime) -> bool:
        """Whether, as the multi-instance container of an instance that ended at ``end``, a
        deadline of it had fired by then (the loop's rule: the instances that ended after
        the activity's deadline fired are late, those that ended before were not)."""
        return self.fired_at is not None and self.fired_at <= end

    def ended_by(self, end: datetime) -> bool:
        """Whether, as the container of an instance closed terminated at ``end``, a deadline
        that ended it had fired by then (it ended its open instances with it)."""
        return self.ended_at is not None and self.ended_at <= end
