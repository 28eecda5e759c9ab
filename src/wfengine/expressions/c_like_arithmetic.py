"""Arithmetic of the Java and JavaScript dialects: numbers only, never Python's sequence tricks.

The native language keeps Python's operators (``'ab' * 2`` is ``'abab'``, ``[1] + [2]`` is
``[1, 2]``, as documented). A Java or JavaScript text means something else by the same
symbols, and handing it Python's answer stores a value no one wrote: a STRING field
``qty = "5"`` made ``total = qty * 2`` store ``55``. What the two languages do instead:

* Java does not compile ``String * int``, ``boolean + int`` or ``list + list``;
* JavaScript converts text to a number for ``*``, ``-``, ``/`` and ``%`` (``"5" * 2`` is
  ``10``, ``"abc" * 2`` is NaN) and turns lists into text for ``+`` (``[1] + [2]`` is
  ``"12"``).

The sandbox does neither of JavaScript's conversions silently: an arithmetic operator given
text (other than ``+``, which concatenates as both languages do), a list, a record or null is
an evaluation error naming the operator and the operand types, so the instance stops in an
incident the modeller can read (and write ``Number(qty) * 2`` or ``parseInt(qty) * 2``).
Booleans are numbers in JavaScript (``true + 1`` is ``2``), as there; in Java they are refused,
as its compiler refuses them. Other values (dates, durations) keep the native operators.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

import wfengine.expressions.operators as operators
from wfengine.expressions.context import EvaluationContext

#: operand types no Java or JavaScript arithmetic operator takes as the native one would
_REFUSED: tuple[type, ...] = (str, list, tuple, bytes, bytearray, Mapping, type(None))


def type_name(value: Any) -> str:
    """A value's type as a modeller knows it (the words the data-field types use)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, Mapping):
        return "record"
    if value is None:
        return "null"
    if isinstance(value, datetime):  # (before date: a datetime is a date to Python)
        return "date-time"
    if isinstance(value, date):
        return "date"
    if isinstance(value, time):
        return "time of day"
    if isinstance(value, timedelta):
        return "duration"
    return type(value).__name__


#: what a message about a null argument adds: a field with no value is the usual cause
NULL_HINT = "; a field with no value is null: test it first, e.g. x != null"


def argument_error(method: str, wanted: str, value: Any) -> TypeError:
    """The error for a Java or JavaScript method given an argument it does not take, in one
    wording for every method (``charAt() takes an integer, got null``): naming the method,
    what it takes and the modeller's type of what it got (:func:`type_name`). Why one helper:
    each method refusing in its own words, or leaving it to Python (``startswith first arg
    must be str or a tuple of str, not NoneType``, ``list indices must be integers``), put
    Python's internals or a wrong reason (``charAt(None) is outside a string``) in the
    incident. A TypeError, as the engine turns every evaluation error into an incident."""
    hint = NULL_HINT if value is None else ""
    return TypeError(f"{method}() takes {wanted}, got {type_name(value)}{hint}")


def zones_message(what: str, left: str, right: str, a: Any, b: Any) -> str | None:
    """Why ``what`` cannot order the date-times ``a`` and ``b`` (written ``left`` and
    ``right``) when one has a time zone and the other none, else None; as times of day with
    and without an offset are refused. Python's "can't compare offset-naive and offset-aware
    datetimes" named neither value nor what to do. A date-time from now(), datetime(...) or a
    DATETIME field has a zone (UTC); one without comes from a host passing a naive datetime."""
    if not (isinstance(a, datetime) and isinstance(b, datetime)):
        return None
    if (a.utcoffset() is None) is (b.utcoffset() is None):
        return None
    naive, aware = (left, right) if a.utcoffset() is None else (right, left)
    return (
        f"{what} cannot order {left} against {right}: {naive} is a date-time without a time "
        f"zone and {aware} one with; {ZONE_ADVICE}"
    )


#: what to do about a date-time without a time zone met by one with
ZONE_ADVICE = (
    "give both a time zone (now() and datetime(...) are UTC; a host passing a Python datetime "
    "gives it a tzinfo)"
)


def unordered_error(function: str, items: Any) -> TypeError | None:
    """Why ``function`` (``max``, ``min``, ``sorted``) could not order ``items`` (a sequence),
    in the words the ordering operators use, or None when the values are of one kind (the
    error was another: Python's own is kept). Python said "'>' not supported between
    instances of 'int' and 'str'" or "can't compare offset-naive and offset-aware datetimes"."""
    if not isinstance(items, list | tuple | set | frozenset):
        return None
    zones = {v.utcoffset() is None for v in items if isinstance(v, datetime)}
    if len(zones) == 2:
        return TypeError(
            f"{function}() cannot order a date-time without a time zone against one with; "
            + ZONE_ADVICE
        )
    kinds = sorted({type_name(v) for v in items})
    if len(kinds) < 2:
        return None
    hint = "; a field with no value has none to order: test it first" if None in items else ""
    return TypeError(
        f"{function}() orders numbers, texts or dates of one kind, not {' and '.join(kinds)}{hint}"
    )


def check_operands(symbol: str, java: bool, a: Any, b: Any) -> None:
    """Raise a TypeError naming ``symbol`` and both types if the language has no such sum."""
    for value in (a, b):
        if isinstance(value, _REFUSED) or (java and isinstance(value, bool)):
            language = "Java" if java else "JavaScript"
            hint = (
                "; convert text first, e.g. Integer.parseInt(x)"
                if java
                else "; convert text first, e.g. Number(x) or parseInt(x)"
            )
            raise TypeError(
                f"'{symbol}' in {language} takes numbers, not {type_name(a)} and "
                f"{type_name(b)}{hint if isinstance(value, str) else ''}"
            )


def make_multiply(java: bool, native: operators.GuardedOperator) -> operators.GuardedOperator:
    """``*`` on numbers only; the native guarded operator checks the integer width."""

    def multiply(a: Any, b: Any, ctx: EvaluationContext) -> Any:
        if type(a) is not int or type(b) is not int:
            check_operands("*", java, a, b)
        return native(a, b, ctx)

    return multiply


def numeric_add(java: bool, a: Any, b: Any, ctx: EvaluationContext) -> Any:
    """``+`` where neither side is text: numbers only (``[1] + [2]`` is refused)."""
    if type(a) is not int or type(b) is not int:
        check_operands("+", java, a, b)
    return operators.add(a, b, ctx)


def make_plain(symbol: str, java: bool, native: operators.PlainOperator) -> operators.PlainOperator:
    """``-``, ``/``, ``%`` on numbers only (Python already refuses most else, less clearly)."""

    def arithmetic(a: Any, b: Any) -> Any:
        if type(a) is not int or type(b) is not int:
            check_operands(symbol, java, a, b)
        return native(a, b)

    return arithmetic
