"""A time of day without an offset is UTC: the one rule for a TIME, wherever it is read.

A DATETIME without an offset has always been UTC; a TIME is too (``09:00`` is ``09:00Z``),
whether given at run time (:mod:`wfengine.definition.coercion`), written as an initial value
(:mod:`wfengine.definition.literals`) or kept without one by an earlier wfengine and compared
with one that has an offset (:mod:`wfengine.expressions.compile_comparisons`). Why: ``08:30Z <
09:00`` was Python's "can't compare offset-naive and offset-aware times", and ``09:00Z ==
09:00`` silently false, depending only on how each TIME had been written.
"""

from __future__ import annotations

from datetime import UTC, time


def utc_time(value: time) -> time:
    """``value``, a time of day, in UTC when it has no zone; one with a zone keeps it."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def without_a_fixed_offset(value: time) -> bool:
    """Whether ``value`` is a time of day in a zone whose offset depends on the date (a
    ``zoneinfo.ZoneInfo``: Paris is +01:00 in winter, +02:00 in summer): it has a zone but no
    offset, so it is neither UTC nor comparable with a time that has one."""
    return value.tzinfo is not None and value.utcoffset() is None


def zone_name(value: time) -> str:
    """How a message names ``value``'s zone (``'Europe/Paris'``)."""
    key = getattr(value.tzinfo, "key", None)
    return repr(key) if isinstance(key, str) else repr(value.tzinfo)
