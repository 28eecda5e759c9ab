"""The ``Math`` functions of the Java and JavaScript dialects: ``abs``, ``min``, ``max``,
``round``, ``floor`` and ``ceil``.

Every one takes numbers only (:func:`math_number`): text, null or a boolean is an error naming
the function, never Python's reading of it. JavaScript would convert (``Math.max('10', '9')``
is 10 there) where Python compared the texts alphabetically (``'9'``, stored as 9.0 in a
FLOAT field), and ``Math.abs(true)`` was 1; Java does not compile either.

``min`` and ``max`` follow both languages where Python's ``min``/``max`` do not: NaN wins
whatever the order of the arguments (Python's answer depended on it), and ``-0.0`` is below
``0.0`` (``Math.max(-0.0, 0.0)`` is ``0.0``, ``Math.min(0.0, -0.0)`` is ``-0.0``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import wfengine.expressions.c_like_arithmetic as c_like_arithmetic
from wfengine.expressions.context import EvaluationContext

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


def _make_extreme(name: str, larger: bool, java: bool) -> Callable[..., Any]:
    def extreme(ctx: EvaluationContext, a: Any, b: Any, /) -> Any:
        x, y = math_number(name, a, java), math_number(name, b, java)
        result = _extreme(x, y, larger)
        return _java_promoted(x, y, result) if java else result

    return extreme


def _make_abs(java: bool) -> Callable[..., Any]:
    def absolute(ctx: EvaluationContext, value: Any, /) -> Any:
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


def math_functions(java: bool) -> dict[str, Callable[..., Any]]:
    """The implementations of ``Math.abs/min/max/round/floor/ceil``, by qualified name: Java's
    give the ``double`` its ``Math`` declares, JavaScript's plain numbers (all its numbers are
    doubles, and it prints ``2.0`` as ``2``)."""
    rounding = _java_rounding if java else _js_rounding
    return {
        "Math.abs": _make_abs(java),
        "Math.min": _make_extreme("Math.min", larger=False, java=java),
        "Math.max": _make_extreme("Math.max", larger=True, java=java),
        "Math.round": _java_round if java else _js_rounding("Math.round", half_up),
        "Math.floor": rounding("Math.floor", math.floor),
        "Math.ceil": rounding("Math.ceil", math.ceil),
    }
