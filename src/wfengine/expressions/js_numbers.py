"""JavaScript's own number readers for the JavaScript front end: ``parseInt``, ``parseFloat``,
``Number`` and ``isNaN`` (whether ``Number`` finds no number: ``isNaN('')`` is false, as
``Number('')`` is 0, and ``isNaN('1_000')`` true).

They are not Java's ``Integer.parseInt`` and ``Double.parseDouble``, which refuse any text
that is not wholly a number: JavaScript's ``parseInt`` and ``parseFloat`` read the longest
number at the start of the text (``parseInt("12px")`` is 12, ``parseInt("3.7")`` 3,
``parseFloat("2.5kg")`` 2.5), ``Number`` reads the whole trimmed text (``""`` is 0), and where
there is no number each gives NaN instead of failing, so a definition written for a JavaScript
engine takes the way its author meant. The sandbox's size limits still hold: a run of digits
longer than a 4,096-bit integer or 400 characters is refused, as the Java readers refuse it.
"""

from __future__ import annotations

import math
import re
from typing import Any

from wfengine.expressions.context import EvaluationContext
from wfengine.expressions.limits import LimitExceeded, Limits

NAN = math.nan

#: what ``parseFloat`` reads at the start of a text (after white space). ASCII digits only:
#: JavaScript reads no others (``Number("\u0661\u0662")`` is NaN), where Python's ``\d`` and
#: ``float()`` take any Unicode decimal digit
_FLOAT_PREFIX = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)", re.ASCII)
#: what ``Number`` reads as the whole (trimmed) text, besides hex, octal and binary literals.
#: Its runs of digits are possessive (no digit can follow one): ``\d+\.?\d*`` tried every
#: split of a run of digits that was no number, 11 ms for the 400 characters read, each time
#: an expression called ``Number`` or ``isNaN``
_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:\d++(?:\.\d*+)?|\.\d++)(?:[eE][+-]?\d++)?)\Z", re.ASCII)
_RADIX_LITERAL = re.compile(r"0([xXoObB])([0-9a-zA-Z]+)\Z")
_RADIX_OF = {"x": 16, "o": 8, "b": 2}
#: the longest number text read (as ``Double.parseDouble`` allows)
_MAX_FLOAT_CHARS = 400


def _digit(ch: str) -> int:
    return int(ch, 36) if ch.isascii() and ch.isalnum() else 99


def make_parse_int(limits: Limits) -> Any:
    """``parseInt(text, radix)`` as JavaScript reads it."""
    max_bits = limits.max_int_bits

    def parse_int(ctx: EvaluationContext, value: Any, radix: Any = None, /) -> int | float:
        if isinstance(value, bool) or value is None:
            return NAN  # String(true) is "true": no digits
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return math.trunc(value) if math.isfinite(value) else NAN
        if not isinstance(value, str):
            return NAN
        base = 10 if radix is None or radix == 0 else radix
        if isinstance(base, bool) or not isinstance(base, int) or not 2 <= base <= 36:
            return NAN
        text = value.lstrip()
        sign = -1 if text.startswith("-") else 1
        text = text[1:] if text[:1] in "+-" else text
        if (radix is None or base == 16) and text[:2].lower() == "0x":
            base, text = 16, text[2:]
        max_chars = int(max_bits / math.log2(base)) + 1  # digits; a rounding
        end = 0
        while end < len(text) and _digit(text[end]) < base:
            end += 1
            if end > max_chars:
                raise LimitExceeded(f"a number longer than {max_chars} digits")
        if end == 0:
            return NAN
        result = int(text[:end], base)
        if result.bit_length() > max_bits:
            raise LimitExceeded(f"integer wider than {max_bits} bits")
        return sign * result

    return parse_int


def parse_float(ctx: EvaluationContext, value: Any, /) -> float:
    """``parseFloat(text)`` as JavaScript reads it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        return NAN
    text = value.lstrip()
    found = _FLOAT_PREFIX.match(text[: _MAX_FLOAT_CHARS + 1])
    if found is None:
        return NAN
    if found.end() > _MAX_FLOAT_CHARS:
        raise LimitExceeded(f"a number longer than {_MAX_FLOAT_CHARS} characters")
    return _to_float(found.group())


def number(ctx: EvaluationContext, value: Any, /) -> int | float:
    """``Number(value)`` as JavaScript reads it: the whole trimmed text, ``""`` 0, true 1."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if not isinstance(value, str):
        return NAN
    if len(value) > _MAX_FLOAT_CHARS:
        raise LimitExceeded(f"a number longer than {_MAX_FLOAT_CHARS} characters")
    text = value.strip()
    if not text:
        return 0
    literal = _RADIX_LITERAL.match(text)
    if literal is not None:
        base = _RADIX_OF[literal.group(1).lower()]
        digits = literal.group(2)
        if any(_digit(ch) >= base for ch in digits):
            return NAN
        return int(digits, base)
    if _DECIMAL.match(text) is None:
        return NAN
    return _to_float(text)


def is_nan(ctx: EvaluationContext, value: Any, /) -> bool:
    """``isNaN(value)`` as JavaScript reads it: whether :func:`number` gives NaN (Python's
    ``float()``, used before, took ``'1_000'`` and ``'inf'`` and refused ``''``, ``null`` and
    ``'0x10'``, the opposite of ``Number``)."""
    found = number(ctx, value)
    return isinstance(found, float) and math.isnan(found)  # (an int, however wide, is none)


def _to_float(text: str) -> float:
    return float(text.replace("Infinity", "inf"))
