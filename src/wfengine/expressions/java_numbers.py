"""Java's strict readers for the C-like front ends: ``Integer.parseInt``, ``Long.parseLong``
(and their ``valueOf``), ``Double.parseDouble``, ``Float.parseFloat``, ``Boolean.parseBoolean``.

Java refuses (``NumberFormatException``) any text that is not wholly a number as it writes
one, and so do these, an evaluation error (an incident on the instance): Python's ``int()``
and ``float()``, which they used before, also take spaces around an integer (``' 42 '``),
underscores (``'1_000'``), a ``0x``/``0b``/``0o`` prefix that repeats the radix
(``Integer.parseInt('0x1F', 16)``), and ``nan``, ``inf`` or ``infinity`` in any case: a
definition tested on a Java engine would fail there and take a way here. What Java does
take is taken: a sign; for ``parseDouble`` white space around the text, ``NaN`` and
``Infinity`` as Java spells them, an exponent, a trailing ``d``/``f`` and hexadecimal
(``0x1.8p1``). ``parseBoolean`` is true only for ``true`` in any case, with nothing around
it (``' true'`` is false, as in Java). JavaScript's own readers, which are lenient by
design, are :mod:`.js_numbers`.

Integers are as wide as the sandbox allows (``max_int_bits``), not Java's 32 or 64 bits:
a definition's numbers are not refused for being wider than Java's types.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from wfengine.expressions.c_like_arithmetic import argument_error
from wfengine.expressions.context import EvaluationContext
from wfengine.expressions.limits import LimitExceeded, Limits

#: what Java's ``String.trim`` (and so ``parseDouble``) removes: every character up to space
_JAVA_BLANKS = "".join(chr(c) for c in range(0x21))
#: the longest number text ``parseDouble`` reads
_MAX_FLOAT_CHARS = 400
#: a decimal ``double`` as Java writes one (after trimming), or NaN or an infinity. Here and in
#: :data:`_JAVA_HEX_DOUBLE` every run of digits is possessive (taken once, never given back;
#: no digit can follow one, so the same texts match): ``\d+\.?\d*`` tried every split of a
#: run that was no number, 17 ms for the 400 characters read, at each ``parseDouble`` call
_JAVA_DOUBLE = re.compile(
    r"[+-]?(?:NaN|Infinity|(?:\d++(?:\.\d*+)?|\.\d++)(?:[eE][+-]?\d++)?[fFdD]?)", re.ASCII
)
#: a hexadecimal ``double`` (``0x1.8p1``): the binary exponent is required, as in Java
_JAVA_HEX_DOUBLE = re.compile(
    r"[+-]?0[xX](?:[0-9a-fA-F]++(?:\.[0-9a-fA-F]*+)?|\.[0-9a-fA-F]++)[pP][+-]?\d++[fFdD]?",
    re.ASCII,
)


def _refused(text: str, what: str, rule: str) -> ValueError:
    """Java's ``NumberFormatException``, as the evaluation error it becomes."""
    return ValueError(f"Java reads no {what} from {text!r} ({rule}; NumberFormatException)")


def _digit_value(ch: str) -> int:
    """The value of one digit as Java's ``Character.digit`` reads it (ASCII letters and
    digits, and the decimal digits of other scripts); 99 for anything else."""
    if ch.isascii():
        return int(ch, 36) if ch.isalnum() else 99
    return int(ch) if ch.isdecimal() else 99


def make_parse_int(limits: Limits, name: str = "Integer.parseInt") -> Callable[..., int]:
    """``Integer.parseInt(s, radix)``: an optional sign, then digits of the radix, nothing else;
    integers as wide as the native ``int()`` allows.

    Digits are counted before converting (converting a long string is itself costly), for
    the radix given: a 4,096-bit integer has 1,234 decimal digits but 793 in base 36. The
    width is checked again after converting, as a count of digits lets a little more past.
    """
    max_bits = limits.max_int_bits

    def parse_int(ctx: EvaluationContext, value: Any, radix: int = 10, /) -> int:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise argument_error(name, "a string of digits", value)
        if isinstance(radix, bool) or not isinstance(radix, int):
            raise argument_error(name, "an integer radix from 2 to 36", radix)
        if not 2 <= radix <= 36:
            raise ValueError(f"radix {radix!r} is not an integer from 2 to 36")
        if isinstance(value, int):
            return value
        max_chars = int(max_bits / math.log2(radix)) + 2  # a sign and a rounding
        if len(value) > max_chars:
            raise LimitExceeded(f"a number longer than {max_chars} digits")
        digits = value[1:] if value[:1] in "+-" else value
        if not digits or any(_digit_value(ch) >= radix for ch in digits):
            raise _refused(value, f"integer in radix {radix}", "only a sign and digits")
        result = int(value, radix)
        if result.bit_length() > max_bits:
            raise LimitExceeded(f"integer wider than {max_bits} bits")
        return result

    return parse_int


def make_parse_double(name: str) -> Callable[..., float]:
    """:func:`parse_double` named ``name`` (``Double.valueOf``...) in its errors."""

    def parse(ctx: EvaluationContext, value: Any, /) -> float:
        return parse_double(ctx, value, name)

    return parse


def parse_double(ctx: EvaluationContext, value: Any, name: str = "Double.parseDouble") -> float:
    """``Double.parseDouble(s)``: the text trimmed, then a ``double`` as Java writes one."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        raise argument_error(name, "a string", value)
    if len(value) > _MAX_FLOAT_CHARS:
        raise LimitExceeded(f"a number longer than {_MAX_FLOAT_CHARS} characters")
    text = value.strip(_JAVA_BLANKS)
    body = text[:-1] if text[-1:] in ("f", "F", "d", "D") else text  # 1.5d, 2f: a type
    if _JAVA_DOUBLE.fullmatch(text) is not None:
        return float(body.replace("Infinity", "inf").replace("NaN", "nan"))
    if _JAVA_HEX_DOUBLE.fullmatch(text) is not None:
        return float.fromhex(body)
    raise _refused(value, "number", "digits, a point, an exponent; NaN or Infinity")


def parse_boolean(ctx: EvaluationContext, value: Any, /) -> bool:
    """``Boolean.parseBoolean(s)``: ``true`` in any case, nothing around it; never an error."""
    if not isinstance(value, str):
        return False
    return len(value) == 4 and value.lower() == "true"  # no lower-case copy of a long text
