"""ISO 8601 date-times and times of day read alike on every Python version.

A definition's date-time texts (a timer's ``TimeDate``, ``ValidFrom`` / ``ValidTo``, a
DATETIME, DATE or TIME initial value) are read with Python's ``fromisoformat``. Up to
Python 3.13 it refuses an hour of 24; CPython 3.14 reads ``2030-12-31T24:00:00`` as
``2031-01-01T00:00:00`` (and ``time.fromisoformat('24:00')`` as midnight). So whether such
a text validated, bounded a process or armed a timer depended on the Python running the
engine. wfengine refuses it on every version, as it always did, and says what to write
instead (:func:`~wfengine.definition.time_of_day.time_part_problem`: the next day's
00:00); the refusal is made here, before ``fromisoformat`` is asked.

Python 3.11's ``fromisoformat`` also takes *any* character between a date and its time, so
xs:date's date with a zone (``2030-01-05+02:00``, as XPDL tools write a date) was read as
02:00 on that day with no zone, UTC: a timer, a DATETIME value, ``--since`` or a scenario's
moment was hours off with no warning. Here, as ``ValidFrom`` / ``ValidTo`` always read it
(:mod:`~wfengine.definition.validity`, which uses this), a date with a zone is that day's
midnight in that zone, and only ``T`` or a space separates a date from its time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo

#: a date in any of the forms ``datetime.fromisoformat`` reads: ``2030-12-31``,
#: ``20301231``, ``2030-W52-2``, ``2030W522`` (and a week alone, ``2030-W52``: its Monday)
_DATE = r"\d{4}-\d{2}-\d{2}|\d{8}|\d{4}-?W\d{2}(?:-?\d)?"
#: a date alone, with or without a zone, as xs:date writes one (``Z``, ``+02:00``, ``-0500``,
#: ``+02``; a lowercase ``z`` as well, as ValidTo always read it)
_DATE_ALONE = re.compile(
    rf"(?P<date>{_DATE})(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<h>\d{{2}})(?::?(?P<m>\d{{2}}))?)?",
    re.ASCII,
)
#: a date, then the one character that may separate it from a time
_DATE_THEN_TIME = re.compile(rf"(?:{_DATE})[Tt ]", re.ASCII)
#: a date, then anything
_DATE_THEN = re.compile(rf"(?:{_DATE}).", re.ASCII | re.DOTALL)
#: the widest zone a date names (xs:date's range; the world's zones run to +14:00)
_WIDEST_ZONE = timedelta(hours=14)

#: a date in any of the forms ``datetime.fromisoformat`` reads (``2030-12-31``,
#: ``20301231``, ``2030-W52-2``, ``2030W522``), the one character it takes between a date
#: and a time, then an hour of 24
_HOUR_24_AFTER_DATE = re.compile(rf"\s*(?:{_DATE}).24", re.ASCII | re.DOTALL)
#: a time of day (``T`` before it is allowed) whose hour is 24
_HOUR_24 = re.compile(r"\s*T?24", re.ASCII)


class HintedError(ValueError):
    """A date-time text refused with what to write instead: a caller that words its own
    refusal of an unread time keeps this one's hint (``except HintedError``): ``hint``, the
    message without the text."""

    def __init__(self, text: str, hint: str) -> None:
        super().__init__(f"{text!r}: {hint}")
        self.hint = hint


class Hour24Error(HintedError):
    """An hour of 24, refused with what to write instead."""


def iso_datetime(text: str) -> datetime:
    """``text``, an ISO 8601 date-time or date, as a datetime: ``datetime.fromisoformat``,
    but read alike on every Python version and never a reading its writer did not mean.

    A date with a zone (xs:date's ``2030-01-05+02:00``, ``2030-01-05Z``) is that day's
    midnight in that zone (aware, at that fixed offset); a date alone is its midnight with no
    zone (the caller's rule applies: UTC). Refused (``ValueError``): a separator other than
    ``T`` or a space between a date and its time (``2030-01-05x09:00``), a date's zone wider
    than 14 hours (``2026-12-07+19:54`` is no zone: a time was meant), and an hour of 24,
    as Python 3.11-3.13 refuse it (3.14 reads it as the next day). The refusals that say
    what to write instead are :class:`HintedError`."""
    alone = _DATE_ALONE.fullmatch(text)
    if alone is not None:
        if alone["h"] is None and alone["utc"] is None:
            return datetime.fromisoformat(text)
        return datetime.combine(
            datetime.fromisoformat(alone["date"]).date(), time(), _zone(alone, text)
        )
    joined = _DATE_THEN.match(text)
    if joined is not None and _DATE_THEN_TIME.match(text) is None and _is_date(joined[0][:-1]):
        raise HintedError(
            text,
            "only T or a space separates a date from its time (such as "
            "2030-01-05T09:00:00Z); a date with a zone is written 2030-01-05+02:00",
        )
    if _HOUR_24_AFTER_DATE.match(text):
        raise Hour24Error(text, "an hour of 24 is not read (write the next day's 00:00)")
    return datetime.fromisoformat(text)


def refusal_hint(text: str) -> str | None:
    """Why :func:`iso_datetime` refuses ``text`` and what to write instead, for a text it
    refuses with a hint (a date joined to its time by another character than ``T``, a date's
    zone of 19 hours); else None. Why: such a text in a ``TimeDate`` was read as an expression
    instead and refused for an octal literal."""
    try:
        iso_datetime(text)
    except HintedError as exc:
        return f"it is no ISO 8601 date-time: {exc.hint}"
    except ValueError:
        pass
    return None


def date_alone(text: str) -> bool:
    """Whether ``text`` is a date without a time, with or without a zone: the whole day, which
    a bound that ends (``ValidTo``) takes in."""
    return _DATE_ALONE.fullmatch(text) is not None


def _is_date(text: str) -> bool:
    """Whether ``text`` (what :data:`_DATE` matched) is a real date: eight digits may be a
    number (``1800000000+60``, a TimeDate's expression), no date joined to a time."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _zone(alone: re.Match[str], text: str) -> tzinfo:
    """The zone of a date alone (:data:`_DATE_ALONE`): UTC for ``Z``, else its fixed offset."""
    if alone["utc"] is not None:
        return UTC
    hours, minutes = int(alone["h"]), int(alone["m"] or 0)
    offset = timedelta(hours=hours, minutes=minutes)
    if minutes > 59 or offset > _WIDEST_ZONE:
        raise HintedError(
            text,
            "a date's zone is at most 14 hours from UTC (2030-01-05+02:00); "
            "for a time of day write T before it (2030-01-05T09:00:00Z)",
        )
    return timezone(-offset if alone["sign"] == "-" else offset)


def iso_time(text: str) -> time:
    """``time.fromisoformat(text)``, but an hour of 24 is refused (``ValueError``) on every
    Python version (3.14 reads ``24:00`` as ``00:00``, the start of the day, not its end)."""
    if _HOUR_24.match(text):
        raise Hour24Error(text, "an hour of 24 is not read (the latest is 23:59:59)")
    return time.fromisoformat(text)
