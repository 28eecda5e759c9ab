"""Working calendars: when simulated people work (``09:00-18:00`` on working days).

A person takes work only while their calendar is open, and work in progress at closing time
waits until the next opening: a 20-minute step started at 17:50 ends at 09:10 on the next
working day. The calendar has no time zone of its own: its hours are read on the virtual
clock's (UTC unless the scenario's ``start`` says otherwise). Hours are wall-clock times in
that zone, but lengths of time are real ones: across a change to or from summer time a
90-minute step takes 90 minutes (:func:`after`, :func:`elapsed`).

YAML: ``{days: [mon, tue, wed, thu, fri], hours: ["09:00-12:00", "13:00-18:00"]}``;
``days`` defaults to every day and ``hours`` to the whole day; ``holidays`` lists dates
(``2027-01-01``) on which it stays closed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from wfengine.simulation.distributions import ScenarioError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_DAY = timedelta(days=1)


def after(at: datetime, span: timedelta) -> datetime:
    """``span`` of real time after ``at``, in ``at``'s zone.

    Why: Python adds a timedelta to an aware datetime on its wall clock, so in a zone with
    summer time a 90-minute step begun at 01:00 on the night the clocks go forward would end
    at 02:30 wall time, an hour early in real time; the sum is taken in UTC and read back in
    ``at``'s zone, where calendars are read."""
    if at.tzinfo is UTC:
        return at + span
    return (at.astimezone(UTC) + span).astimezone(at.tzinfo)


def elapsed(since: datetime, until: datetime) -> timedelta:
    """The real time from ``since`` to ``until`` (two moments of one zone are otherwise
    subtracted on their wall clock: see :func:`after`)."""
    if since.tzinfo is UTC and until.tzinfo is UTC:
        return until - since
    return until.astimezone(UTC) - since.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Opening hours by weekday; ``always`` is open around the clock."""

    #: weekday (0 = Monday) -> (start, end) offsets from midnight, sorted, not overlapping
    spans: tuple[tuple[tuple[timedelta, timedelta], ...], ...]
    holidays: frozenset[date] = frozenset()
    #: open around the clock (asked on every step a person takes: worked out once)
    always: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        whole = ((timedelta(0), _DAY),)
        always = not self.holidays and all(day == whole for day in self.spans)
        object.__setattr__(self, "always", always)

    def _spans_on(self, day: date) -> tuple[tuple[timedelta, timedelta], ...]:
        return () if day in self.holidays else self.spans[day.weekday()]

    def is_open(self, at: datetime) -> bool:
        midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
        offset = at - midnight
        return any(a <= offset < b for a, b in self._spans_on(at.date()))

    def next_open(self, at: datetime) -> datetime | None:
        """``at`` when open, else the next opening (None: never open again)."""
        midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
        for day in range(0, 400):
            base = midnight + day * _DAY
            for a, b in self._spans_on(base.date()):
                if base + b > at:
                    return max(at, base + a)
        return None

    def finish(self, start: datetime, seconds: float) -> datetime:
        """When ``seconds`` of work begun at ``start`` (open) end, counting open time only."""
        left = timedelta(seconds=seconds)
        at = start
        while True:
            opened = self.next_open(at)
            if opened is None:
                raise ScenarioError("a working calendar that never opens again")
            at = opened
            midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
            offset = at - midnight
            end = next(b for a, b in self._spans_on(at.date()) if a <= offset < b)
            room = elapsed(at, midnight + end)
            if left <= room:
                return after(at, left)
            left -= room
            at = midnight + end

    def open_seconds(self, since: datetime, until: datetime) -> float:
        """Open time between ``since`` and ``until``, in seconds."""
        if until <= since:
            return 0.0
        if self.always:
            return elapsed(since, until).total_seconds()
        total = timedelta(0)
        day = since.replace(hour=0, minute=0, second=0, microsecond=0)
        while day < until:
            for a, b in self._spans_on(day.date()):
                lo, hi = max(since, day + a), min(until, day + b)
                if hi > lo:
                    total += elapsed(lo, hi)
            day += _DAY
        return total.total_seconds()


ALWAYS = WorkingCalendar(tuple(((timedelta(0), _DAY),) for _ in DAY_NAMES))


def read_calendar(spec: Any, where: str) -> WorkingCalendar:
    """A calendar from its YAML mapping (see the module notes)."""
    if not isinstance(spec, Mapping):
        raise ScenarioError(f"{where}: a calendar is a mapping with days and hours")
    unknown = sorted(set(spec) - {"days", "hours", "holidays"})
    if unknown:
        raise ScenarioError(f"{where}: unknown key {unknown[0]!r} (days, hours, holidays)")
    days = spec.get("days", list(DAY_NAMES))
    if not isinstance(days, list) or not days:
        raise ScenarioError(f"{where}.days: a list of weekdays (mon ... sun)")
    chosen: set[int] = set()
    for name in days:
        key = str(name).strip().lower()[:3]
        if key not in DAY_NAMES:
            raise ScenarioError(f"{where}.days: {name!r} is not a weekday (mon ... sun)")
        chosen.add(DAY_NAMES.index(key))
    hours = spec.get("hours", ["00:00-24:00"])
    if isinstance(hours, str):
        hours = [hours]
    if not isinstance(hours, list) or not hours:
        raise ScenarioError(f"{where}.hours: a list of spans like '09:00-18:00'")
    spans: list[tuple[timedelta, timedelta]] = []
    for text in hours:
        m = _SPAN.match(str(text))
        if m is None:
            raise ScenarioError(f"{where}.hours: {text!r} is not a span like '09:00-18:00'")
        h1, m1, h2, m2 = map(int, m.groups())
        a, b = timedelta(hours=h1, minutes=m1), timedelta(hours=h2, minutes=m2)
        if m1 > 59 or m2 > 59 or not timedelta(0) <= a < b <= _DAY:
            raise ScenarioError(f"{where}.hours: {text!r} is not a span within one day")
        spans.append((a, b))
    spans.sort()
    for (_, b1), (a2, _) in itertools.pairwise(spans):
        if a2 < b1:
            raise ScenarioError(f"{where}.hours: the spans overlap")
    listed = spec.get("holidays") or []
    if not isinstance(listed, list):
        # (one date not in a list was iterated: a date object failed, a quoted one was read
        # character by character)
        shown = listed.isoformat() if isinstance(listed, date) else repr(listed)
        raise ScenarioError(
            f"{where}.holidays: a list of dates like [2027-12-25], not {shown} (one holiday "
            "too is a list)"
        )
    holidays: set[date] = set()
    for text in listed:
        if isinstance(text, datetime):
            # (YAML reads an unquoted 2027-01-01 00:00:00 as one; kept, it never equalled
            # the day it names, so the "holiday" was silently a working day)
            raise ScenarioError(
                f"{where}.holidays: {text.isoformat(' ')} is a date and a time, and a holiday "
                f"is a whole day: write the date alone ({text.date().isoformat()})"
            )
        try:
            holidays.add(text if isinstance(text, date) else date.fromisoformat(str(text)))
        except ValueError:
            raise ScenarioError(f"{where}.holidays: {text!r} is not a date") from None
    return WorkingCalendar(
        tuple(tuple(spans) if d in chosen else () for d in range(7)), frozenset(holidays)
    )
