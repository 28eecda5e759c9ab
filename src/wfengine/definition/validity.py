"""A process's validity period: its ``ValidFrom`` and ``ValidTo`` (ProcessHeader) as moments.

Read here, in the definition layer, so that validation (``validity-unread``,
``validity-empty``) and the engine, which starts new instances only within
``[ValidFrom, ValidTo)`` (:class:`~wfengine.runtime.deployment.DeployedProcess`), read the
same texts as the same moments: a text validation calls unread is the one the engine bounds
nothing with.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from wfengine.definition.iso_moments import iso_datetime
from wfengine.definition.time_of_day import time_part_problem

#: a date alone, with or without a zone: ``2030-12-31``, ``20301231``, ``2030-W52-2``, each
#: optionally followed by ``Z`` or ``+02:00`` / ``-0500`` / ``+02`` (xs:date writes a zone so)
_DATE_ALONE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2}|\d{8}|\d{4}-?W\d{2}-?\d)"
    r"(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)
#: the date of a date-time, then what separates it from the time (checked: T or a space)
_DATE_THEN = re.compile(r"(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4}-?W\d{2}-?\d)(?P<sep>.)")


class UnreadBound(ValueError):
    """A ``ValidFrom`` / ``ValidTo`` text that is no ISO 8601 date or date-time: it bounds
    nothing (XPDL leaves the text free, so this is no error of the definition)."""


def read_bound(text: str | None, *, end: bool) -> datetime | None:
    """A ``ValidFrom`` (``end`` False) / ``ValidTo`` (``end`` True) text as a moment:
    ISO 8601, UTC when it names no zone; None for no bound (no text, or a day that ends
    past the engine's time: :func:`_day_end`).

    A date alone, with or without a zone (``2030-12-31``, xs:date's ``2030-12-31+02:00``),
    is that day's start in that zone (for the end, the next day's start: the day is in).
    Only ``T`` or a space separates a date from a time: Python's ``fromisoformat`` takes any
    character there, which read ``2030-12-31+02:00`` as 02:00 UTC of that day.
    Raises :class:`UnreadBound` for a text that is no such date or date-time."""
    text = (text or "").strip()
    if not text:
        return None
    moment: datetime | None = None
    alone = _DATE_ALONE.fullmatch(text)
    try:
        if alone is not None:
            day = date.fromisoformat(alone["date"])
            zone = alone["zone"]
            if zone is None:
                tz: tzinfo = UTC
            else:
                tz = datetime.fromisoformat(f"2000-01-01T00:00{_zone(zone)}").tzinfo or UTC
            moment = datetime.combine(day, time(), tz)
            if end:
                return _day_end(moment)
        else:
            separated = _DATE_THEN.match(text)
            if separated is not None and separated["sep"] in "Tt ":
                moment = iso_datetime(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None:
        clock = time_part_problem(text)
        why = f" ({clock})" if clock is not None else ""
        raise UnreadBound(f"{text!r} is no ISO 8601 date or date-time{why}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


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


def _zone(zone: str) -> str:
    """An ISO 8601 zone as ``fromisoformat`` reads it after a time (``Z`` is ``+00:00``)."""
    if zone in ("Z", "z"):
        return "+00:00"
    if len(zone) == 3:  # +02
        return f"{zone}:00"
    return zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
