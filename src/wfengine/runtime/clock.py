"""Where the engine's time comes from.

Time is injected so that runs are reproducible and deadlines can be tested without waiting:
:class:`VirtualClock` only moves when told to, and tells its subscribers (an engine's
``fire_due_timers``) each time it does. The engine reads the clock once per command, so the
changes a command makes carry the same timestamp, as rows written in one database transaction
would; but a synchronous application call takes time inside its command: the clock is read
again when it answers or fails (:func:`wfengine.runtime.tools.run_tools`), its
``application.*`` records are dated so, as an ``invoke`` job's are, and what the command does
after the call (the activity's completion, an incident, a timer it sets) is dated from then:
an instance's trail never goes back in time.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Protocol, runtime_checkable

from wfengine.definition.event_texts import LAST_MOMENT
from wfengine.runtime.command_callbacks import inside_a_command

#: the virtual clocks whose move the current context runs inside (a subscriber, a timer's
#: application, also in a helper thread running a copy of the context: a binding with
#: ``timeout=``), so that a move from inside one goes on without waiting for it
_MOVING: ContextVar[tuple[VirtualClock, ...]] = ContextVar("wfengine_clock_moves", default=())


@runtime_checkable
class Clock(Protocol):
    """Where the engine reads the time: inject a :class:`VirtualClock` to drive
    deadlines in tests and simulations."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


def require_aware(value: datetime, what: str = "") -> datetime:
    """``value``, refused with a :class:`ValueError` when it is naive (no UTC offset): the
    stores keep, and compare, aware datetimes only. ``what``, if given, names the value in
    the message (``"started_at of job 'j-1'"``)."""
    if value.utcoffset() is None:
        named = f" ({what})" if what else ""
        raise ValueError(f"naive datetime {value!r}{named}: the engine stores aware datetimes only")
    return value


def later(moment: datetime, span: timedelta) -> datetime:
    """``span`` of real (elapsed) time after ``moment``, in UTC.

    Why: Python adds a timedelta to an aware datetime on its wall clock, so in a zone with
    summer time ``12:00+01:00 + 24h`` is ``12:00+02:00``, only 23 real hours later; every
    timer, deadline, reminder and clock move is a length of real time (``PT24H`` is 24
    hours), so the sum is taken in UTC, where wall-clock and real time agree."""
    return moment.astimezone(UTC) + span


def due_after(moment: datetime, span: timedelta) -> datetime | None:
    """When something set at ``moment`` to come ``span`` later is due, in UTC (as
    :func:`later`); None when that is at or after
    :data:`~wfengine.definition.event_texts.LAST_MOMENT`, where the engine's time ends: it
    never comes due. Why: near the end (a clock in 9999-12) :func:`later` raised a bare
    ``OverflowError`` out of the command that set a timer, deadline or reminder, and a time
    between ``LAST_MOMENT`` and the overflow would wait where parked jobs wait. The caller
    says what that means for it (a timer: an incident; a reminder: none is set)."""
    try:
        due = later(moment, span)
    except OverflowError:
        return None
    return due if due < LAST_MOMENT else None


def _before_the_end(when: datetime, what: str) -> None:
    """Refuse a virtual time at or after :data:`LAST_MOMENT`, where the engine's time ends:
    what waits for ever (an escalation parked on its incident) is parked there, and a clock
    that reached it fired all of it, again and again (10,001 incidents from one escalation)."""
    if when >= LAST_MOMENT:
        raise ValueError(
            f"{what}: {when.isoformat()} is at or after {LAST_MOMENT.isoformat()}, where the "
            "engine's time ends (what waits for ever is parked there)"
        )


def check_clock(clock: Clock) -> None:
    """Refuse a clock whose time is not timezone-aware, when an engine is built with it.

    Why: every store compares and keeps aware times (a SQL store refuses a naive one at its
    first write); a naive clock would run on one store and fail on another, or compare
    naive with aware due times later.
    """
    now = clock.now()
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise ValueError(
            f"the clock {clock!r} says it is {now!r}: an engine needs a clock whose now() "
            "returns a timezone-aware datetime (as SystemClock's returns datetime.now(UTC))"
        )


class SystemClock:
    """Wall-clock time in UTC."""

    #: the last time read (:func:`time.time`, and the same as a datetime): see :meth:`recent`
    _last: tuple[float, datetime] = (0.0, datetime(1970, 1, 1, tzinfo=UTC))

    def now(self) -> datetime:
        t = time.time()
        read = datetime.fromtimestamp(t, UTC)
        self._last = (t, read)  # (one tuple: a thread reading it sees a pair read together)
        return read

    def recent(self, _time: Callable[[], float] = time.time) -> datetime:
        """Now to the millisecond: the time last read when it is less than a millisecond old,
        else now (:meth:`now`). What dates an application call's records as they are made
        (:func:`~wfengine.runtime.tools.run_tools`, one read per call that answers): a call
        of a few microseconds, the common case, then costs no new datetime, which was 3% of
        running an automatic activity. Every read is kept, so it is not earlier than a time
        :meth:`now` gave before (but for two threads storing their reads out of order, by
        less than the millisecond)."""
        t = _time()
        last = self._last
        if 0.0 <= t - last[0] < 0.001:
            return last[1]
        read = datetime.fromtimestamp(t, UTC)
        self._last = (t, read)
        return read


def call_dater(clock: Clock) -> Callable[[], datetime]:
    """How an application call's records read ``clock`` (:func:`~wfengine.runtime.tools.run_tools`):
    a :class:`SystemClock`'s :meth:`~SystemClock.recent`, any other clock's ``now``."""
    recent = getattr(clock, "recent", None) if isinstance(clock, SystemClock) else None
    return recent if recent is not None else clock.now


class VirtualClock:
    """A clock that stands still until :meth:`advance` or :meth:`set` moves it.

    Engines built with a virtual clock subscribe to it, so advancing the clock fires every
    timer (deadline) that became due, in due-time order, before ``advance`` returns: the
    clock stops at each due time on the way (a timer fires at its own time, and a timer that
    one sets, falling due before the end of the move, fires too).

    The clock keeps the zone of its start (UTC by default) whatever time it moves to: a
    store may give a due time back in another zone (a SQL store in UTC), and the clock
    stopping there must not change the zone ``now()`` and ``today()`` are read in.

    Moves asked in several threads run one after another: a move waits for the one running in
    another thread to end, then starts from where that left the clock. Why: two threads each
    advancing 25 minutes from the same reading moved the clock 25 minutes in all, and one
    thread's stop for a due time was overtaken by another's move, so its timers fired late.
    Two kinds of move do not wait (:meth:`_turn`): one from inside a move (a subscriber, or
    a timer's application, moving the clock on), which is part of it; and one asked from
    inside an engine's command (an application taking two hours) while another thread
    moves the clock, which is made at once, within that move, as a move from inside it:
    the running move may be waiting for that very command (engines of several threads on one
    ``MemoryStore`` take turns, a command holding its store for all its calls), and the two
    would wait for each other.
    """

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and not isinstance(start, datetime):
            raise TypeError(f"VirtualClock takes a datetime to start at, not {start!r}")
        if start is not None and start.utcoffset() is None:
            raise ValueError(
                f"VirtualClock needs a timezone-aware start time, not {start!r} "
                "(datetime(2030, 1, 1, tzinfo=UTC), for one)"
            )
        if start is not None:
            _before_the_end(start, "VirtualClock")
        self._now = start or datetime(2000, 1, 1, tzinfo=UTC)
        self._subscribers: list[_Subscription] = []
        #: held by the thread whose move runs (:meth:`_turn`)
        self._moving = threading.Lock()
        #: held for a moment: to set the time (never backwards, when a move within another
        #: runs in a second thread) and to change the subscribers (an engine made in one
        #: thread while another thread's move dropped a dead subscriber was dropped too)
        self._guard = threading.Lock()

    def now(self) -> datetime:
        return self._now

    def subscribe(
        self,
        callback: Callable[[], object],
        next_due: Callable[[datetime], datetime | None] | None = None,
        *,
        weak: bool = False,
    ) -> None:
        """Call ``callback`` after every move of the clock; ``next_due(after)`` (optional)
        says when the subscriber next has something due later than ``after``, so a move
        stops there on its way.

        Why "later than": what is due already and stays due (work left for workers, which a
        moving clock does not run) must not hide the times still ahead.

        ``weak``: bound methods are held weakly (an engine subscribes so: a clock shared by
        many engines, a test fixture's or a host restarting engines, kept every one alive,
        with all it held, and called every dead one at each move); by default a subscriber is
        held as given, so one whose object nothing else keeps still hears the clock."""
        subscription = _Subscription(_held(callback, weak), _held(next_due, weak))
        with self._guard:
            self._subscribers = [*self._subscribers, subscription]

    def unsubscribe(self, callback: Callable[[], object]) -> None:
        """Stop calling ``callback`` (and its ``next_due``): an engine closing says so."""
        with self._guard:
            self._subscribers = [s for s in self._subscribers if s.callback() != callback]

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` of real time (not backwards) and fire what became due:
        ``advance(timedelta(hours=24))`` moves 24 hours even across a change to or from
        summer time in the clock's zone (:func:`later`)."""
        if not isinstance(delta, timedelta):
            raise TypeError(
                f"VirtualClock.advance takes a timedelta, not {delta!r} "
                "(timedelta(seconds=30), timedelta(hours=2))"
            )
        if delta < timedelta(0):
            raise ValueError("a clock does not go backwards")
        with self._turn():  # (the time read once this move's turn has come)
            start = self._now
            try:
                when = later(start, delta) if delta else start
            except OverflowError:  # (past what a datetime holds: beyond the end, as set says)
                raise ValueError(
                    f"VirtualClock.advance: {delta} from {start.isoformat()} ends after "
                    f"{LAST_MOMENT.isoformat()}, where the engine's time ends"
                ) from None
            return self._run_to(when)

    def set(self, when: datetime) -> datetime:
        """Move to ``when`` (not backwards), stopping at each due time on the way; the clock
        then tells ``when`` in its own zone (or a later time, when a subscriber moved it on:
        that is what is returned). A subscriber that raises does not stop the
        others nor the move: the first error is raised once the clock is at ``when``."""
        if not isinstance(when, datetime):
            raise TypeError(
                f"VirtualClock.set takes a datetime, not {when!r} "
                "(datetime(2030, 1, 1, tzinfo=UTC), or datetime.fromisoformat(text))"
            )
        if when.utcoffset() is None:
            raise ValueError(
                f"VirtualClock.set needs a timezone-aware datetime, not {when!r} "
                "(add tzinfo=UTC): the engine compares aware times only"
            )
        when = _instant(when)
        with self._turn():
            if when < self._now:
                raise ValueError("a clock does not go backwards")
            return self._run_to(when)

    def _run_to(self, when: datetime) -> datetime:
        """The move of :meth:`set` and :meth:`advance`, in this thread's turn (:meth:`_turn`).
        Why apart from ``set``'s check that ``when`` is not behind the clock: an ``advance``
        made within another thread's move (see the class) may find the clock moved past its
        end meanwhile, which is not a move backwards: the clock stays where it is."""
        _before_the_end(when, "VirtualClock.set")
        failed: list[Exception] = []
        while True:  # (once at least: set(now) fires what is due now)
            stop = self._next_stop(when)
            self._move(when if stop is None else stop, failed)
            # a subscriber may move the clock itself (an application taking two hours):
            # done once the clock is at or past ``when``, never set back to it
            if stop is None or self._now >= when:
                break
        if failed:  # (after the whole move: see _move)
            first = failed[0]
            if len(failed) > 1:
                first.add_note(f"{len(failed) - 1} more clock subscriber call(s) failed too")
            raise first
        return self._now

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        """This thread's turn to move the clock: waits for a move running in another thread,
        but for a move from inside a move (of this clock, in this context) and one asked from
        inside an engine's command while another thread moves the clock (see the class): those
        go on at once, within the running move.

        Why the command's move may not wait: the thread moving the clock fires every
        engine's timers, and an engine on the ``MemoryStore`` that command holds waits for
        it to end (for the store's ``turn_timeout``, or for ever): neither would go on."""
        moving = _MOVING.get()
        if any(clock is self for clock in moving):
            yield  # (a move within a move: its own turn)
            return
        if not self._moving.acquire(blocking=not inside_a_command()):
            yield  # (from inside a command: within the other thread's move)
            return
        token = _MOVING.set((*moving, self))
        try:
            yield
        finally:
            _MOVING.reset(token)
            self._moving.release()

    def _next_stop(self, until: datetime) -> datetime | None:
        """The earliest time a subscriber has something due after now and before ``until``."""
        now = self._now
        times = []
        for subscription in self._live():
            due = subscription.next_due()
            if due is not None and (t := due(now)) is not None:
                times.append(t)
        ahead = [t for t in times if _instant(now) < _instant(t) < until]
        return min(ahead, key=_instant, default=None)

    def _live(self) -> list[_Subscription]:
        """The subscriptions whose subscriber is alive (the others are dropped)."""
        subscribers = self._subscribers
        live = [s for s in subscribers if s.callback() is not None]
        if len(live) != len(subscribers):
            with self._guard:  # (one subscribed meanwhile is kept)
                self._subscribers = [s for s in self._subscribers if s.callback() is not None]
        return live

    def _move(self, when: datetime, failed: list[Exception]) -> None:
        """Move to ``when`` and call every subscriber, adding what one raises to ``failed``.

        Why every one: a host's subscriber that raised (a dashboard refresh) kept the
        engines subscribed after it from firing their due timers at this stop, though the
        clock had moved, and stopped the move there: a timer then fired at a later move,
        recorded at the wrong time. :meth:`set` raises the first failure once the whole
        move is made. A time behind the clock's (a subscriber moved it further on meanwhile)
        leaves it where it is: a clock never goes backwards."""
        with self._guard:  # (a move within this one may run in another thread: see _turn)
            if _instant(when) >= _instant(self._now):
                try:
                    self._now = when.astimezone(self._now.tzinfo)
                except OverflowError:  # (at the very ends of time: kept as told)
                    self._now = when
        for subscription in self._live():
            callback = subscription.callback()
            if callback is not None:
                try:
                    callback()
                except Exception as exc:
                    failed.append(exc)


def _instant(when: datetime) -> datetime:
    """``when`` at its own fixed offset, to compare as an instant: two times of one zone
    compare by their wall clocks, ``fold`` ignored, so on the night the clocks go back 02:10
    (winter) came before 02:50 (summer). (Not converted to UTC: that may overflow at the very
    ends of time; a naive time is left naive, for the comparison to refuse it as before.)"""
    offset = when.utcoffset()
    return when if offset is None else when.astimezone(timezone(offset))


@dataclass(frozen=True, slots=True)
class _Subscription:
    """A clock subscriber's callback and ``next_due``, each behind a reference
    (:func:`_held`): call one to get the function, or None once its object is gone."""

    callback: Callable[[], Callable[[], object] | None]
    next_due: Callable[[], Callable[[datetime], datetime | None] | None]


def _held(function: Callable[..., Any] | None, weak: bool) -> Callable[[], Any]:
    """A reference to ``function``: with ``weak``, weak for a bound method (its object may
    go), strong for anything else (a plain function or lambda would be gone at once if held
    weakly)."""
    if weak and inspect.ismethod(function):
        return weakref.WeakMethod(function)
    return lambda: function
