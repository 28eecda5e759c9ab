"""Java's string comparisons and trimming, for the methods both front ends offer.

``compareTo`` gave only the sign (Java's ``String.compareTo`` gives the difference of the
first two characters that differ, or of the lengths: ``"c".compareTo("a")`` is 2);
``equalsIgnoreCase`` and ``compareToIgnoreCase`` folded the case of whole texts as Python's
``casefold`` does, so ``"Straße".equalsIgnoreCase("STRASSE")`` held (Java compares character
by character, each upper- then lower-cased on its own: false); ``trim`` stripped every
Unicode space where Java strips the characters up to U+0020 and JavaScript its own set (with
the byte-order mark, not U+001C to U+001F). Characters are Unicode code points here, not
Java's UTF-16 units: they differ only beyond U+FFFF (a documented choice).

A deployment an earlier wfengine stored (:mod:`.stored_reading`) keeps that wfengine's
readings (the ``earlier_`` functions): its running instances take the branches they took.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from wfengine.expressions.c_like_arithmetic import argument_error, zones_message
from wfengine.expressions.context import FREE_TEXT, EvaluationContext
from wfengine.expressions.instants import instants

#: what Java's ``String.trim`` strips: every character up to the space
JAVA_SPACE = "".join(map(chr, range(0x21)))
#: what JavaScript's ``String.prototype.trim`` strips: its WhiteSpace and LineTerminator
JAVASCRIPT_SPACE = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    map(chr, range(0x2000, 0x200B))
)


def _first_difference(a: str, b: str) -> int:
    """The first index where ``a`` and ``b`` differ (or the shorter's length), found by
    halving with slices compared in C: a character loop in Python would be slow on a long
    text the budget lets through."""
    lo, hi = 0, min(len(a), len(b))  # a[:lo] == b[:lo]
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def text_difference(a: str, b: str) -> int:
    """Java's ``a.compareTo(b)``: the difference of the first characters that differ, else of
    the lengths."""
    i = _first_difference(a, b)
    if i < min(len(a), len(b)):
        return ord(a[i]) - ord(b[i])
    return len(a) - len(b)


@lru_cache(maxsize=4096)
def _folded_char(char: str) -> str:
    """``char`` as Java's case-insensitive comparisons see it: upper- then lower-cased, each
    a one-character mapping (Python's ``'ß'.upper()`` is ``'SS'``; Java's is ``'ß'``)."""
    upper = char.upper()
    upper = upper if len(upper) == 1 else char
    # (U+0130, 'İ', is the one letter whose full lower case is longer; Java's simple one is 'i')
    lower = "i" if upper == "\u0130" else upper.lower()
    return lower if len(lower) == 1 else upper


def _folded(ctx: EvaluationContext, text: str) -> str:
    """``text`` folded character by character, a new string charged to the budget."""
    ctx.charge(len(text))
    if text.isascii():
        return text.lower()
    return "".join(map(_folded_char, text))


def equals_ignore_case(ctx: EvaluationContext, a: str, b: Any, /) -> bool:
    """Java's ``equalsIgnoreCase``: the same length, and each character the same but for case."""
    return isinstance(b, str) and len(a) == len(b) and _folded(ctx, a) == _folded(ctx, b)


def compare_to_ignore_case(ctx: EvaluationContext, a: str, b: Any, /) -> int:
    if not isinstance(b, str):
        raise argument_error("compareToIgnoreCase", "a string", b)
    return text_difference(_folded(ctx, a), _folded(ctx, b))


def _kind(value: Any) -> str | None:
    """What ``compareTo`` on ``value`` takes: a value of the same kind (Java's
    ``Comparable<T>``), so a number compares with a number, a date with a date."""
    if value.__class__ is bool:
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, timedelta):
        return "a duration"
    return None


def _check_comparable(a: Any, b: Any) -> None:
    """Refuse ``a.compareTo(b)`` when ``b`` is not of ``a``'s kind, or one date-time has a
    time zone and the other none, in the modeller's words (:func:`argument_error`): it fell
    to Python's ``'>' not supported between instances of 'str' and 'NoneType'``."""
    wanted = _kind(a)
    if wanted is not None and _kind(b) != wanted:
        raise argument_error("compareTo", wanted, b)
    if (message := zones_message("compareTo()", "its receiver", "its argument", a, b)) is not None:
        raise TypeError(message)


def compare_to(ctx: EvaluationContext, a: Any, b: Any, /) -> int:
    """``compareTo``: Java's difference for two texts; the sign for numbers, dates and
    durations, as their ``compareTo`` gives it."""
    if a.__class__ is str and b.__class__ is str:
        if len(a) > FREE_TEXT < len(b):
            ctx.charge(min(len(a), len(b)))  # (both over FREE_TEXT)
        return text_difference(a, b)
    _check_comparable(a, b)
    a, b = instants(a, b)  # (date-times by instant)
    return int(a > b) - int(a < b)


def make_trim(java: bool) -> Any:
    """``trim`` as the language strips: Java the characters up to the space, JavaScript its
    whitespace and line terminators."""
    space = JAVA_SPACE if java else JAVASCRIPT_SPACE

    def trim(ctx: EvaluationContext, a: str, /) -> str:
        ctx.charge(len(a))
        return a.strip(space)

    return trim


# --------------------------------------------------------------------------- as stored


def _casefolded(ctx: EvaluationContext, text: str) -> str:
    """``text.casefold()``, a new string charged to the budget (as ``lower()`` is)."""
    ctx.charge(len(text))
    return text.casefold()


def _sign(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def earlier_equals_ignore_case(ctx: EvaluationContext, a: str, b: Any, /) -> bool:
    """``equalsIgnoreCase`` as an earlier wfengine read it: whole texts casefolded."""
    return isinstance(b, str) and _casefolded(ctx, a) == _casefolded(ctx, b)


def earlier_compare_to(ctx: EvaluationContext, a: Any, b: Any, /) -> int:
    """``compareTo`` as an earlier wfengine read it: only the sign, for texts too."""
    if a.__class__ is str and b.__class__ is str and len(a) > FREE_TEXT < len(b):
        ctx.charge(min(len(a), len(b)))  # (both over FREE_TEXT)
    if not (a.__class__ is str and b.__class__ is str):
        _check_comparable(a, b)
    return _sign(a, b)


def earlier_compare_to_ignore_case(ctx: EvaluationContext, a: str, b: Any, /) -> int:
    """``compareToIgnoreCase`` as an earlier wfengine read it: the sign, texts casefolded."""
    if not isinstance(b, str):
        raise argument_error("compareToIgnoreCase", "a string", b)
    return _sign(_casefolded(ctx, a), _casefolded(ctx, b))


def earlier_trim(ctx: EvaluationContext, a: str, /) -> str:
    """``trim`` as an earlier wfengine read it: Python's ``strip()``, every Unicode space."""
    ctx.charge(len(a))
    return a.strip()
