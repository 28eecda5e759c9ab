"""The ``Math`` functions of the Java and JavaScript dialects: ``abs``, ``min``, ``max``,
``round``, ``floor`` and ``ceil``.

Every one takes numbers only (:func:`math_number`): text, null or a boolean is an error naming
the function, never Python's reading of it. JavaScript would convert (``Math.max('10', '9')``
is 10 there) where Python compared the texts alphabetically (``'9'``, stored as 9.0 in a
FLOAT field), and ``Math.abs(true)`` was 1; Java does not compile either.

``min`` and ``max`` follow both languages where Python's ``min``/``max`` do not: NaN wins
whatever the order of the arguments (Python's answer depended on it), and ``-0.0`` is below
``0.0`` (``Math.max(-0.0, 0.0)`` is ``0.0``, ``Math.min(0.0, -0.0)`` is ``-0.0``).

wfengine's extension, kept from its earlier reading: ``min`` and ``max`` also take two dates,
two datetimes or two durations and give the earlier (shorter) or later (longer) one
(``Math.max(due, now())``), and ``abs`` takes a duration and gives its length, whatever its
sign (``Math.abs(due - now())``); JavaScript would give a number of milliseconds and Java does
not compile either, but definitions rely on them. Two values of different kinds are an error,
and so is the absolute value of a date or datetime.

A deployment an earlier wfengine stored (:mod:`.stored_reading`) keeps that wfengine's reading
of text and booleans (Python's: ``Math.max('10', '9')`` is ``'9'``, ``Math.abs(true)`` is 1),
so its instances keep running; numbers are read as above.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import wfengine.expressions.c_like_arithmetic as c_like_arithmetic
import wfengine.expressions.functions as native
from wfengine.expressions.context import EvaluationContext
from wfengine.expressions.instants import instant

#: the range of Java's ``long``, which its ``Math.round`` clamps to
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def math_number(name: str, value: Any, java: bool) -> Any:
    """``value`` when it is a number, else a TypeError naming ``name``: text or null failed
    on a ``+`` no one wrote (``floor(x + 0.5)``), ``Math.round(true)`` read as 1 and
    ``Math.max('10', '9')`` compared the texts alphabetically."""
    if _is_number(value):
        return value
    hint = "Double.parseDouble(x)" if java else "Number(x)"
    convert = f"; convert text first, e.g. {hint}" if isinstance(value, str) else ""
    raise TypeError(f"{name} takes a number, not {c_like_arithmetic.type_name(value)}{convert}")


def _extreme(a: Any, b: Any, larger: bool) -> Any:
    """The larger (or smaller) of two numbers as Java and JavaScript pick it: NaN if either is
    NaN, and of two zeros the one of the right sign (``-0.0 == 0.0`` leaves Python's pick to
    the argument order)."""
    if a != a:  # NaN
        return a
    if b != b:
        return b
    if a == b == 0:  # of zeros, the larger is +0 if either is, the smaller -0 if either is
        a_negative = math.copysign(1.0, a) < 0
        return (b if a_negative else a) if larger else (a if a_negative else b)
    if larger:
        return b if b > a else a
    return b if b < a else a


def _java_promoted(a: Any, b: Any, result: Any) -> Any:
    """Java's binary numeric promotion: ``Math.max(1.0, 3)`` is the double ``3.0``, as the int
    argument is widened when the other is a double (two ints stay an int)."""
    if isinstance(a, float) != isinstance(b, float):
        return float(result)
    return result


def _time_kind(value: Any) -> str | None:
    """``datetime``, ``date`` or ``duration`` for such a value (the kinds ``min``/``max`` take
    two of, as wfengine's extension), else None."""
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "duration" if isinstance(value, timedelta) else None


def _extreme_in_time(name: str, a: Any, b: Any, larger: bool) -> Any:
    """The later (longer) or earlier (shorter) of two values of one time kind; two of
    different kinds, or one and anything else, are an error naming both."""
    kind_a, kind_b = _time_kind(a), _time_kind(b)
    if kind_a != kind_b:
        raise TypeError(
            f"{name} takes two numbers, or two dates, datetimes or durations (of one kind), "
            f"not {kind_a or c_like_arithmetic.type_name(a)} and "
            f"{kind_b or c_like_arithmetic.type_name(b)}"
        )
    return (max if larger else min)(a, b, key=instant)  # (date-times by instant)


def _make_extreme(name: str, larger: bool, java: bool) -> Callable[..., Any]:
    def extreme(ctx: EvaluationContext, a: Any, b: Any, /) -> Any:
        if _time_kind(a) is not None or _time_kind(b) is not None:
            return _extreme_in_time(name, a, b, larger)
        x, y = math_number(name, a, java), math_number(name, b, java)
        result = _extreme(x, y, larger)
        return _java_promoted(x, y, result) if java else result

    return extreme


def _lenient(strict: Callable[..., Any], earlier: Callable[..., Any]) -> Callable[..., Any]:
    """``strict`` for numbers and values in time, else ``earlier``: Python's reading, which a
    deployment stored by an earlier wfengine keeps for text and booleans (see the module)."""

    @functools.wraps(strict)  # (its signature: the arguments checked when compiling)
    def lenient(ctx: EvaluationContext, *args: Any) -> Any:
        if all(_is_number(a) or _time_kind(a) is not None for a in args):
            return strict(ctx, *args)
        return earlier(ctx, *args)

    return lenient


#: the ``Math`` functions a stored deployment reads as an earlier wfengine did, and that reading
LENIENT_WHEN_STORED: dict[str, Callable[..., Any]] = {
    "Math.abs": native._abs,
    "Math.min": native._min,
    "Math.max": native._max,
}


def _make_abs(java: bool) -> Callable[..., Any]:
    def absolute(ctx: EvaluationContext, value: Any, /) -> Any:
        if isinstance(value, timedelta):  # wfengine's extension: Math.abs(due - now())
            return abs(value)
        if _time_kind(value) is not None:  # a point in time has no absolute value
            raise TypeError(
                f"Math.abs takes a number or a duration, not {_time_kind(value)}; "
                "for the time between two dates use Math.abs(a - b)"
            )
        return abs(math_number("Math.abs", value, java))

    return absolute


def half_up(value: float) -> int:
    """``value`` rounded half up, exactly (``floor(x + 0.5)`` rounded 0.49999999999999994 to
    1 and 4503599627370497.0 to ...498: the sum itself rounds); ``x - floor(x)`` is exact."""
    whole = math.floor(value)
    return whole + (value - whole >= 0.5)


def _java_round(ctx: EvaluationContext, value: float, /) -> int:
    """Java's ``Math.round``: a ``long``, so NaN is 0 and what is beyond it is clamped."""
    x = math_number("Math.round", value, java=True)
    if isinstance(x, int):
        return x
    if math.isnan(x):
        return 0
    return min(max(half_up(max(min(x, 2.0**63), -(2.0**63))), _LONG_MIN), _LONG_MAX)


def _js_rounding(name: str, rounding: Callable[[float], int]) -> Callable[..., Any]:
    """JavaScript's ``Math.round``, ``floor``, ``ceil``: NaN and the infinities as they are."""

    def rounded(ctx: EvaluationContext, value: float, /) -> Any:
        x = math_number(name, value, java=False)
        return x if isinstance(x, int) or not math.isfinite(x) else rounding(x)

    return rounded


def _as_java_double(whole: float, value: Any) -> Any:
    """A rounding's result as Java's ``double`` it is: ``Math.floor(7.5) / 2`` is ``3.5`` and
    ``"n=" + Math.floor(2.5)`` is ``"n=2.0"`` there, where an int would divide as integers and
    print as ``2``. A zero keeps the sign of its argument (``Math.ceil(-0.5)`` is ``-0.0``)."""
    result = float(whole)
    return math.copysign(0.0, value) if result == 0 else result


def _java_rounding(name: str, rounding: Callable[[float], int]) -> Callable[..., Any]:
    """Java's ``Math.floor`` and ``ceil``: a double for any number (an int argument is widened
    first); infinities and NaN come back as they are, as in Java."""

    def rounded(ctx: EvaluationContext, value: float, /) -> Any:
        x = math_number(name, value, java=True)
        finite = not isinstance(x, float) or math.isfinite(x)
        return _as_java_double(rounding(x), x) if finite else x

    return rounded


def math_functions(java: bool, stored: bool = False) -> dict[str, Callable[..., Any]]:
    """The implementations of ``Math.abs/min/max/round/floor/ceil``, by qualified name: Java's
    give the ``double`` its ``Math`` declares, JavaScript's plain numbers (all its numbers are
    doubles, and it prints ``2.0`` as ``2``). ``stored``: a stored deployment's, whose
    ``abs``, ``min`` and ``max`` take text and booleans as an earlier wfengine did."""
    table = _strict_functions(java)
    if stored:
        for name, earlier in LENIENT_WHEN_STORED.items():
            table[name] = _lenient(table[name], earlier)
    return table


def _strict_functions(java: bool) -> dict[str, Callable[..., Any]]:
    rounding = _java_rounding if java else _js_rounding
    return {
        "Math.abs": _make_abs(java),
        "Math.min": _make_extreme("Math.min", larger=False, java=java),
        "Math.max": _make_extreme("Math.max", larger=True, java=java),
        "Math.round": _java_round if java else _js_rounding("Math.round", half_up),
        "Math.floor": rounding("Math.floor", math.floor),
        "Math.ceil": rounding("Math.ceil", math.ceil),
    }
