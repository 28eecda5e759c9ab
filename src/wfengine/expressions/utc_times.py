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
