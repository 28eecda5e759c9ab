"""Deadlines: setting their timers and firing them (synchronous ones cancel the activity)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from wfengine.definition.event_texts import LAST_MOMENT, held, unheld
from wfengine.definition.finite_numbers import finite
from wfengine.definition.reading import ReadKind
from wfengine.errors import ExpressionEvaluationError
from wfengine.json_text import iso_duration
from wfengine.one_line import shortened
from wfengine.runtime.clock import due_after
from wfengine.runtime.compiler import (
    CDeadline,
)
from wfengine.runtime.evaluation import CompiledExpression
from wfengine.runtime.history import (
    DeadlineFired,
    DeadlineInvalid,
    DeadlineUnhandled,
    EventKind,
    change,
    marker,
)
from wfengine.runtime.instance import (
    BOUNDARY_TIMER,
    EVENT_TIMER,
    SCOPE_TIMER,
    ActivityInstance,
    ProcessInstance,
    Timer,
)
from wfengine.runtime.navigation.abort_causes import Cause, aborted_by
from wfengine.runtime.navigation.base import (
    NavigatorBase,
    _Failure,
)
from wfengine.runtime.navigation.incidents import parked_timers
from wfengine.runtime.states import ActivityState, ProcessState

#: what a timer waits for: a duration, a moment, or an expression giving either
Wait = timedelta | datetime | CompiledExpression


class Deadlines(NavigatorBase):
    """Deadlines."""

    def _wait_due(
        self,
        inst: ProcessInstance,
        wait: Wait | None,
        after: datetime,
        what: str = "the timer",
        repeat: int = 1,
    ) -> datetime | str:
        """When a wait that starts at ``after`` ends, in UTC: a moment, a duration, or an
        expression over ``inst``'s data giving either (or seconds, or a date: its midnight
        UTC); a string says why a value is no time (``what`` names the wait in it, and an
        expression's place in the definition leads it, as an evaluation error's does).
        Raises :class:`_Failure` when the expression cannot be evaluated. (Deadlines, timer
        events, boundary timers and event sub-processes' timers all read it so.)

        Why UTC: a SQL store gives every time back in UTC, the memory store as it was given;
        a due time kept with the offset it was written with (``2030-01-02T00:30:00+02:00``)
        would be listed, audited and stopped at by a virtual clock differently per store.

        ``repeat`` (a timer cycle's: 0 for ever, else how many times) other than 1 refuses a
        moment: a cycle fires every so long, and a moment gives no length (``R3/when`` with
        ``when`` a DATETIME fired once, then its re-arming said the interval was 0:00:00)."""
        due = self._wait_until(inst, wait, after, what, repeat)
        return due.astimezone(UTC) if isinstance(due, datetime) else due

    def _wait_until(
        self, inst: ProcessInstance, wait: Wait | None, after: datetime, what: str, repeat: int
    ) -> datetime | str:
        """:meth:`_wait_due` before it is put in UTC."""
        if isinstance(wait, datetime):
            return cycle_of_moment(wait, what, repeat) or wait
        if wait is None:
            return after
        if isinstance(wait, timedelta):
            longest = self.ctx.limits.max_deadline
            if wait > longest:  # a literal is held to the limit an expression is
                return (
                    f"a wait of {_length(wait)} is longer than the engine waits (at most "
                    f"{_length(longest)}: RuntimeLimits.max_deadline)"
                )
            ends = due_after(after, wait)  # (real time, not the clock zone's wall clock)
            return ends if ends is not None else _past_the_end(what, wait, after)
        try:
            value = wait.evaluate(inst.data, self._clock, f"instance {inst.id!r}")
        except ExpressionEvaluationError as exc:
            raise _Failure(str(exc)) from exc
        due = cycle_of_moment(value, what, repeat) or deadline_due(
            value, after, self.ctx.limits.max_deadline, what
        )
        return f"instance {inst.id!r}, {wait.where}: {due}" if isinstance(due, str) else due

    def _new_timer(self, inst: ProcessInstance, owner: str, index: int, due: datetime) -> Timer:
        """A timer of ``inst`` (``owner``: the activity instance it belongs to; ``index``:
        which of its timers, see :data:`EVENT_TIMER`), set with the step."""
        ctx = self.ctx
        timer = Timer(
            id=ctx.ids.new("tm"),
            due=due,
            instance_id=inst.id,
            activity_instance_id=owner,
            deadline_index=index,
            seq=ctx.next_timer_seq(),
        )
        self.step.timers_set.append(timer)
        return timer

    def _set_deadlines(self, ai: ActivityInstance) -> bool:
        """Set the timers of ``ai``'s deadlines; False when one's duration cannot be had (an
        expression that fails, a value that is no duration or moment): then none is set,
        the failure is audited (``deadline.invalid``) and an incident opened, whose retry
        starts the activity again (after the data is mended).

        A duration in a language wfengine does not read (Shark's ``var d=new
        java.util.Date(); ...``, which deploy warned of as ``expression-foreign``) is only
        audited, and the activity runs without that deadline, as the warning said."""
        inst = ai.scope.instance
        dues: list[tuple[CDeadline, datetime]] = []
        for dl in ai.act.deadlines:
            try:
                due = self._wait_due(inst, dl.duration, self.now, "deadline")
            except _Failure as exc:
                due = exc.message
            if isinstance(due, str):
                due = _named(ai, dl.duration, f"deadline {dl.index + 1} duration", due)
                inst.changes.append(change(self.now, DeadlineInvalid(due), ai.id, ai.act.id))
                wait = dl.duration
                if isinstance(wait, CompiledExpression) and wait.kind is ReadKind.UNPARSEABLE:
                    continue
                self._incident(inst, ai, ai.act.id, "assign", due)  # (it names the deadline)
                return False
            dues.append((dl, due))
        for dl, due in dues:
            ai.timers = [*ai.timers, self._new_timer(inst, ai.id, dl.index, due).id]
        return True

    def _start_wait(self, ai: ActivityInstance) -> None:
        """An intermediate timer event was reached: set its timer (fired: it goes on)."""
        inst = ai.scope.instance
        try:
            due = self._wait_due(inst, ai.act.wait, self.now, "timer event")
        except _Failure as exc:
            self._incident(inst, ai, ai.act.id, "run", exc.message)
            return
        if isinstance(due, str):
            self._incident(inst, ai, ai.act.id, "run", _named(ai, ai.act.wait, "timer cycle", due))
            return
        ai.timers = [*ai.timers, self._new_timer(inst, ai.id, EVENT_TIMER, due).id]

    def fire_timer(self, timer: Timer) -> None:
        inst = self.instance(timer.instance_id)
        if inst.incidents and any(parked_timers(inst, (timer.id,))):
            # held back past the timer budget (or failed): it waits for its incident's retry,
            # though a resume finds it due at its own time (``timers()`` lists it so)
            return
        self.step.timers_cancelled.append(timer.id)
        if timer.deadline_index <= SCOPE_TIMER:  # an event sub-process's
            if inst.state is ProcessState.RUNNING:
                self._scope_timer_fired(inst, timer)
            return
        ai = inst.activities.get(timer.activity_instance_id)
        if ai is None or ai.state.is_closed or inst.state is not ProcessState.RUNNING:
            return
        self.touch(inst)
        if not self._may_fire(inst, ai, ai.act.id, timer.id):
            return  # (held back: it stays the activity's, withdrawn as it closes)
        if timer.id in ai.timers:
            ai.timers.remove(timer.id)
        if timer.deadline_index <= BOUNDARY_TIMER:
            self._boundary_timer_fired(ai, timer)
            return
        if timer.deadline_index == EVENT_TIMER:  # an intermediate timer event: on it goes
            inst.changes.append(marker(self.now, EventKind.TIMER_FIRED, ai.id, ai.act.id))
            self._body_done(ai)
            return
        dl = ai.act.deadlines[timer.deadline_index]
        ct = self._exception_transition(ai.act, dl.exception_name)
        ai.late = True
        # (when it was due: it fires late when the instance was suspended over it)
        # (it ends the activity when synchronous and caught: the metrics count it so)
        fired = DeadlineFired(dl.exception_name, timer.due, ct is not None and dl.synchronous)
        inst.changes.append(change(self.now, fired, ai.id, ai.act.id))
        if ct is None:
            inst.changes.append(
                change(self.now, DeadlineUnhandled(dl.exception_name), ai.id, ai.act.id)
            )
            return
        if dl.synchronous:
            with aborted_by(inst, Cause("deadline", name=dl.exception_name)):
                self._cancel_activity(ai, ActivityState.TERMINATED, count=False)
            self._arrive(ai.scope, ct)
            self._release(ai.scope, ai.act.index)
        else:
            self._arrive(ai.scope, ct)


def cycle_of_moment(value: Any, what: str, repeat: int) -> str | None:
    """Why ``value`` (what a timer's wait gave; ``what`` names the wait) is no interval of a
    repeating cycle (``repeat`` 0 or above 1): it is a moment (a datetime or a date), which
    says when, not how often. None: ``value`` is no moment, or the timer does not repeat."""
    if repeat == 1 or not isinstance(value, date):
        return None
    cycle = "R/" if repeat == 0 else f"R{repeat}/"
    return (
        f"{what} gave {value.isoformat()}, a moment, but a repeating cycle ({cycle}...) needs a "
        "duration between its firings: write one (PT1H) or an expression giving a timedelta "
        "or seconds"
    )


def cycle_refused(due: datetime, after: datetime, repeat: int) -> str | None:
    """Why the next firing of a repeating timer cycle (``repeat``: 0 for ever, else how many
    times; 1 is no cycle), set at ``after`` for ``due``, is not armed: an interval that is not
    above zero would fire without end at one instant (as a literal ``R/PT0S`` is refused at
    deploy). None: it may be armed."""
    if repeat == 1 or due > after:
        return None
    return f"a repeating timer cycle needs an interval above zero; it gave {due - after}"


def next_cycle(
    due: datetime, after: datetime, now: datetime, repeat: int, fired: int
) -> tuple[datetime | None, int]:
    """When a timer set at ``after`` (a repeating cycle's last due time) for ``due`` is
    armed, and how many of its firings went by unfired: ``(due, 0)`` when ``due`` is ahead
    at ``now`` or the timer does not repeat (``repeat`` 1: past due, it fires at once).
    Missed cycles (the instance was suspended, no worker ran) are not a burst: they are the
    one firing that set this one, and the rhythm goes on from the original schedule, as
    work-item reminders do; they count as spent, so ``(None, skipped)`` when with ``fired``
    (those spent before) they spend a bounded cycle (``repeat`` above 0), or the next one
    would fall where the engine's time ends. ``due`` is after ``after``
    (:func:`cycle_refused`)."""
    if repeat == 1 or due > now:
        return due, 0
    every = due - after
    missed = (now - due) // every + 1
    if repeat and fired + missed >= repeat:
        return None, missed
    try:
        ahead = due + every * missed
    except OverflowError:
        return None, missed
    return (ahead if held(ahead) else None), missed


def deadline_due(
    value: Any, now: datetime, longest: timedelta, what: str = "deadline"
) -> datetime | str:
    """When a deadline (``what``: or another timer) whose expression gave ``value`` is due,
    or why it cannot be one.

    A datetime that names no zone (what ``datetime(2030, 1, 1, 12)`` or an application's
    naive value gives) is read as UTC, as a ``TimeDate`` literal naming no zone is: every
    timer is due at an aware time, which every store keeps and compares. A date (a ``DATE``
    data field) is its midnight UTC, as a literal ``TimeDate`` of ``2030-01-05`` is."""
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(), UTC)
    if isinstance(value, datetime):
        moment: datetime = value if value.utcoffset() is not None else value.replace(tzinfo=UTC)
        why = unheld(moment)
        if why is not None:
            return f"{what} gave {moment.isoformat()}, {why}"
        return moment
    if isinstance(value, timedelta):
        after = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not finite(value):
            return f"{what} gave {shortened(repr(value), 30)}; expected a finite number of seconds"
        if not 0 <= value <= longest.total_seconds():
            most = f"{longest.total_seconds():.0f}"
            return f"{what} gave {shortened(repr(value), 30)} seconds; expected 0 to {most}"
        after = timedelta(seconds=value)
    else:
        text = (
            " (a text is not read as a time, even written as one: keep it in a DATETIME "
            "field, which converts such text where it is given)"
            if isinstance(value, str)
            else ""
        )
        return (
            f"{what} gave {shortened(repr(value), 30)}; expected seconds, a timedelta, a datetime "
            f"or a date{text}"
        )
    if not timedelta(0) <= after <= longest:
        return f"{what} gave {_length(after)}; expected a duration from PT0S to {_length(longest)}"
    due = due_after(now, after)  # (real time, not the clock zone's wall clock)
    return due if due is not None else _past_the_end(what, after, now)


def _past_the_end(what: str, wait: timedelta, after: datetime) -> str:
    """Why a wait of ``wait`` set at ``after`` is no timer: it ends where the engine's
    time does (:func:`~wfengine.runtime.clock.due_after`), so it would never come due; the
    timer is not set and an incident says so, as for a wait longer than the engine waits."""
    return (
        f"{what} set at {after.isoformat()} for {_length(wait) if wait.days else wait} later "
        f"would fall "
        f"{unheld(LAST_MOMENT)}: it would never come due"
    )


def _named(ai: ActivityInstance, wait: Wait | None, what: str, why: str) -> str:
    """``why`` a literal wait of ``ai`` (``what``: its deadline or timer) is no timer, led by
    where it is, as an expression's failure is led by its place in the definition (a limit
    the host set, ``RuntimeLimits.max_deadline``, is met only as the instance runs)."""
    if isinstance(wait, CompiledExpression):
        return why  # (its where leads it)
    inst = ai.scope.instance
    return f"{inst.place()}, process {inst.process_id!r}, activity {ai.act.id!r}, {what}: {why}"


def _length(wait: timedelta) -> str:
    """A wait as people read it: ``PT2H`` under a day either way (not ``0 days 2:00:00``, or
    ``-1 day, 23:00:00`` for ``-PT1H``), else ``36,600 days`` (``36,600 days 1:00:00``)."""
    if abs(wait) < timedelta(days=1):
        return iso_duration(wait)
    rest = wait - timedelta(days=wait.days)
    return f"{wait.days:,} days" + (f" {rest}" if rest else "")
