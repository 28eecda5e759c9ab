"""ISO 8601 date-times and times of day read alike on every Python version.

A definition's date-time texts (a timer's ``TimeDate``, ``ValidFrom`` / ``ValidTo``, a
DATETIME, DATE or TIME initial value) are read with Python's ``fromisoformat``. Up to
Python 3.13 it refuses an hour of 24; CPython 3.14 reads ``2030-12-31T24:00:00`` as
``2031-01-01T00:00:00`` (and ``time.fromisoformat('24:00')`` as midnight). So whether such
a text validated, bounded a process or armed a timer depended on the Python running the
engine. wfengine refuses it on every version, as it always did, and says what to write
instead (:func:`~wfengine.definition.time_of_day.time_part_problem`: the next day's
00:00); the refusal is made here, before ``fromisoformat`` is asked.
"""

from __future__ import annotations

import re
from datetime import datetime, time

#: a date in any of the forms ``datetime.fromisoformat`` reads (``2030-12-31``,
#: ``20301231``, ``2030-W52-2``, ``2030W522``), the one character it takes between a date
#: and a time, then an hour of 24
_HOUR_24_AFTER_DATE = re.compile(
    r"\s*(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4}-?W\d{2}(?:-?\d)?).24", re.ASCII | re.DOTALL
)
#: a time of day (``T`` before it is allowed) whose hour is 24
_HOUR_24 = re.compile(r"\s*T?24", re.ASCII)


class Hour24Error(ValueError):
    """An hour of 24, refused with what to write instead: a caller that words its own
    refusal of an unread time keeps this one's hint (``except Hour24Error``)."""


def iso_datetime(text: str) -> datetime:
    """``datetime.fromisoformat(text)``, but an hour of 24 is refused (``ValueError``) on
    every Python version, as Python 3.11-3.13 refuse it (3.14 reads it as the next day)."""
    if _HOUR_24_AFTER_DATE.match(text):
        raise Hour24Error(f"{text!r}: an hour of 24 is not read (write the next day's 00:00)")
    return datetime.fromisoformat(text)


def iso_time(text: str) -> time:
    """``time.fromisoformat(text)``, but an hour of 24 is refused (``ValueError``) on every
    Python version (3.14 reads ``24:00`` as ``00:00``, the start of the day, not its end)."""
    if _HOUR_24.match(text):
        raise Hour24Error(f"{text!r}: an hour of 24 is not read (the latest is 23:59:59)")
    return time.fromisoformat(text)
