"""Date-times in expressions are added to, subtracted and ordered by instant, whatever their zone.

Why a module of its own: Python adds a ``timedelta`` to a datetime on its wall clock, and
subtracts or compares two datetimes that share a ``tzinfo`` on their wall clocks too (ignoring
``fold``). For UTC or a fixed offset, which ``now()``, ``datetime(...)``, ``--set`` and initial
values give, wall clock and instant agree. For a zone with summer time they do not, and a
DATETIME holds such a ``ZoneInfo`` value when a host, an application or a message gives one:
``d + timedelta(hours=24)`` across the spring change was 23 real hours later (and a deadline
computed so an hour early), and two times in the repeated autumn hour were ordered, subtracted
and picked by ``max`` on their wall clocks, 02:30 winter time before 02:45 summer time. README
says every duration is real time, and docs/semantics.md that date-times are ordered by instant.

Every operator and function that adds, subtracts or orders values (``+``, ``-``, comparisons,
``max``/``min``/``sorted``, ``Math.max``/``min``, ``compareTo``, ``equals``) asks this module
about its operands; each helper tests the type first (:func:`zoned`), so numbers, texts and
fixed-offset date-times cost one check and are computed as before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any


def zoned(value: Any) -> bool:
    """Whether ``value`` is a date-time in a zone whose offset changes (a ``ZoneInfo``): the
    only kind Python's wall-clock arithmetic and ordering get wrong."""
    if not isinstance(value, datetime):
        return False
    zone = value.tzinfo
    return zone is not None and zone.__class__ is not timezone


def instant(value: Any) -> Any:
    """``value`` in UTC when it is :func:`zoned`, else as it is: what ordering compares (a
    key for ``max``, ``min`` and ``sorted``, which then give the value itself, zone kept)."""
    return value.astimezone(UTC) if zoned(value) else value


def instants(a: Any, b: Any) -> tuple[Any, Any]:
    """``a`` and ``b`` as a comparison should see them: both date-times in UTC when either is
    :func:`zoned`, else as they are (a date-time without a zone stays without, so ordering it
    against one with is still refused by name)."""
    if zoned(a) or zoned(b):
        return instant(a), instant(b)
    return a, b


def plus(a: Any, b: Any) -> Any:
    """``a + b``; for a :func:`zoned` date-time and a duration, the moment that much real time
    later, told in the date-time's zone (it keeps its zone)."""
    if zoned(a) and isinstance(b, timedelta):
        return (a.astimezone(UTC) + b).astimezone(a.tzinfo)
    if zoned(b) and isinstance(a, timedelta):
        return (b.astimezone(UTC) + a).astimezone(b.tzinfo)
    return a + b


def minus(a: Any, b: Any) -> Any:
    """``a - b``; a :func:`zoned` date-time less a duration is the moment that much real time
    earlier, in its zone; two date-times, either zoned, are the real time between them."""
    if not isinstance(a, datetime):
        return a - b
    if zoned(a) and isinstance(b, timedelta):
        return (a.astimezone(UTC) - b).astimezone(a.tzinfo)
    if zoned(a) or zoned(b):
        return instant(a) - instant(b)
    return a - b
