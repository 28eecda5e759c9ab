"""A process's validity period: its ``ValidFrom`` and ``ValidTo`` (ProcessHeader) as moments.

Read here, in the definition layer, so that validation (``validity-unread``,
``validity-empty``) and the engine, which starts new instances only within
``[ValidFrom, ValidTo)`` (:class:`~wfengine.runtime.deployment.DeployedProcess`), read the
same texts as the same moments: a text validation calls unread is the one the engine bounds
nothing with.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from wfengine.definition.iso_moments import date_alone, iso_datetime
from wfengine.definition.time_of_day import time_part_problem


class UnreadBound(ValueError):
    """A ``ValidFrom`` / ``ValidTo`` text that is no ISO 8601 date or date-time: it bounds
    nothing (XPDL leaves the text free, so this is no error of the definition)."""


#: a week without its day (``2030-W52``, ``2030W52``): no bound, though ``fromisoformat``
#: reads it as its Monday
_WEEK_ALONE = re.compile(r"\d{4}-?W\d{2}(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?", re.ASCII)


def read_bound(text: str | None, *, end: bool) -> datetime | None:
    """A ``ValidFrom`` (``end`` False) / ``ValidTo`` (``end`` True) text as a moment:
    ISO 8601, UTC when it names no zone; None for no bound (no text, or a day that ends
    past the engine's time: :func:`_day_end`).

    A date alone, with or without a zone (``2030-12-31``, xs:date's ``2030-12-31+02:00``),
    is that day's start in that zone (for the end, the next day's start: the day is in).
    Only ``T`` or a space separates a date from a time: Python's ``fromisoformat`` takes any
    character there, which read ``2030-12-31+02:00`` as 02:00 UTC of that day (the reading is
    :func:`~wfengine.definition.iso_moments.iso_datetime`'s, shared with timers and data).
    Raises :class:`UnreadBound` for a text that is no such date or date-time."""
    text = (text or "").strip()
    if not text:
        return None
    if _WEEK_ALONE.fullmatch(text):  # (a week is no day: which day would bound it?)
        raise UnreadBound(f"{text!r} is a week, no date: write its first or last day")
    try:  # (a date alone, with or without a zone, is read by iso_datetime as its midnight)
        moment = iso_datetime(text.replace("Z", "+00:00"))
    except ValueError:
        clock = time_part_problem(text)
        why = f" ({clock})" if clock is not None else ""
        raise UnreadBound(f"{text!r} is no ISO 8601 date or date-time{why}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _day_end(moment) if end and date_alone(text) else moment


def empty_period(valid_from: datetime | None, valid_to: datetime | None) -> bool:
    """Whether ``[valid_from, valid_to)`` holds no moment (ValidFrom not before ValidTo): no
    instance of the process ever starts."""
    return valid_from is not None and valid_to is not None and valid_from >= valid_to


def _day_end(start: datetime) -> datetime | None:
    """The end of the day that begins at ``start`` (its zone a fixed offset): the next
    day's start. None when no datetime holds it, as for ``9999-12-31`` (UTC, or any zone
    west of it): that day ends where the engine's time does, so it ends nothing, and
    ``ValidTo`` written so (as "for ever" often is) limits nothing. Why not raise: adding
    a day there raised a bare ``OverflowError`` out of every deploy and start of the
    process, while validate found nothing wrong. East of UTC the end is held in UTC
    (``9999-12-31+14:00`` ends at ``9999-12-31T10:00:00Z``): the period ends then."""
    try:
        return start + timedelta(days=1)
    except OverflowError:
        pass
    try:
        return start.astimezone(UTC) + timedelta(days=1)
    except OverflowError:
        return None
