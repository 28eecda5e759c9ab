"""JavaScript's string positions for the JavaScript front end: ``substring`` and ``charAt``.

JavaScript never fails on a position outside the string: ``substring`` clamps its bounds to
the string (and swaps them when the start is after the end) and ``charAt`` gives ``''``. A
definition written for a JavaScript engine relies on it (``name.substring(0, 20)`` to cut a
name to twenty characters works on a shorter name too), so these do the same; Java throws
``StringIndexOutOfBoundsException``, and the Java front end raises (an incident).
"""

from __future__ import annotations

import math
from typing import Any

from wfengine.expressions.c_like_arithmetic import argument_error
from wfengine.expressions.context import EvaluationContext


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _position(method: str, value: Any, length: int) -> int:
    """JavaScript's reading of a string position: truncated toward zero (``s.length / 2`` may
    be ``1.5``), NaN as 0, then clamped to ``0..length``. Only numbers: a string or boolean
    position is refused rather than converted, as ``==`` converts no types either."""
    if not _is_number(value):
        raise argument_error(method, "numbers", value)
    if isinstance(value, float):
        if math.isnan(value):
            return 0
        if math.isinf(value):
            return 0 if value < 0 else length
    return min(max(int(value), 0), length)


def substring(ctx: EvaluationContext, a: str, begin: Any = 0, end: Any = None, /) -> str:
    """JavaScript's ``substring``: bounds are clamped to the string and swapped when the start
    is after the end, so ``name.substring(0, 20)`` truncates a shorter name to itself (Java
    throws instead, as the Java front end does)."""
    start = _position("substring", begin, len(a))
    stop = len(a) if end is None else _position("substring", end, len(a))
    start, stop = min(start, stop), max(start, stop)
    ctx.charge(stop - start)
    return a[start:stop]


def char_at(ctx: EvaluationContext, a: str, index: Any = 0, /) -> str:
    """JavaScript's ``charAt``: ``''`` for a position outside the string (Java throws)."""
    if not _is_number(index):
        raise argument_error("charAt", "a number", index)
    if isinstance(index, float):
        if not math.isfinite(index):
            return "" if math.isinf(index) else a[:1]  # NaN reads as 0
        index = int(index)
    return a[index] if 0 <= index < len(a) else ""
