"""Arithmetic operators, with guards where Python's own would let a tiny text cost a lot.

``/`` and ``//`` are Python's operators as they are; ``+`` and ``-`` add and subtract
date-times by instant (:mod:`.instants`: a date-time in a zone with summer time plus a
duration is that much real time later). ``+`` and ``*`` charge the logical
sizes (counting shared parts each time, see :mod:`.context`) of the strings, lists and tuples
they build to the evaluation budget *before* building them;
``*`` and ``**`` refuse integers clearly wider than the limit before computing them (the
compiled operator checks the exact width of every integer ``+``, ``-``, ``*`` and ``**``
give, :mod:`.compile_operators`); ``%`` refuses
string formatting (``'%0999999999d' % 1`` allocates a gigabyte, and format specifiers are a
language of their own that expressions do not need).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import datetime
from typing import Any

from wfengine.expressions.context import EvaluationContext
from wfengine.expressions.instants import minus, plus
from wfengine.expressions.limits import LimitExceeded, Limits

#: sequences whose concatenation or repetition the budget accounts for
SEQUENCES = (str, list, tuple, bytes, bytearray)

PlainOperator = Callable[[Any, Any], Any]
GuardedOperator = Callable[[Any, Any, EvaluationContext], Any]


def add(a: Any, b: Any, ctx: EvaluationContext) -> Any:
    """``a + b``, charging the (logical) size of a concatenated sequence; a date-time and a
    duration by instant (:func:`~wfengine.expressions.instants.plus`)."""
    if isinstance(a, SEQUENCES) and isinstance(b, SEQUENCES):
        ctx.charge(ctx.size_of(a) + ctx.size_of(b))
    elif isinstance(a, datetime) or isinstance(b, datetime):
        return plus(a, b)
    return a + b


def modulo(a: Any, b: Any) -> Any:
    """``a % b`` for numbers only."""
    if isinstance(a, SEQUENCES):
        raise TypeError("'%' formatting of strings is not supported; use str() and '+'")
    return a % b


def make_multiply(limits: Limits) -> GuardedOperator:
    """``a * b`` with the integer width and the repetition size checked first."""
    max_bits = limits.max_int_bits

    def multiply(a: Any, b: Any, ctx: EvaluationContext) -> Any:
        if type(a) is int and type(b) is int:  # the common case first
            if a.bit_length() + b.bit_length() > max_bits + 1:
                raise LimitExceeded(f"integer result wider than {max_bits} bits")
            return a * b
        if isinstance(a, SEQUENCES) and isinstance(b, int):
            ctx.charge(max(ctx.size_of(a) * b, 0))
        elif isinstance(b, SEQUENCES) and isinstance(a, int):
            ctx.charge(max(ctx.size_of(b) * a, 0))
        elif (
            isinstance(a, int)
            and isinstance(b, int)
            and a.bit_length() + b.bit_length() > max_bits + 1
        ):
            raise LimitExceeded(f"integer result wider than {max_bits} bits")
        return a * b

    return multiply


def make_power(limits: Limits) -> PlainOperator:
    """``a ** b`` with the result width checked before computing it.

    ``9 ** 9 ** 9`` is refused on the outer power, instantly. Float powers are left to the C
    library (they overflow rather than grow); other numeric types from the host (Decimal,
    Fraction) get a plain cap on an integer exponent, since their cost grows with it.
    """
    max_bits = limits.max_int_bits

    def power(a: Any, b: Any) -> Any:
        if isinstance(b, int) and not isinstance(a, float):
            if isinstance(a, int):
                # 2**b has b + 1 bits: the lower bound (bit_length - 1) * b + 1 is exact for
                # powers of two and within a factor of two otherwise, so what is computed is
                # at most twice the limit wide; its exact width is checked after (3**4095
                # passes this test with 6,491 bits and is refused there).
                if b > 0 and abs(a) > 1 and (a.bit_length() - 1) * b + 1 > max_bits:
                    raise LimitExceeded(f"integer result of '**' wider than {max_bits} bits")
            elif abs(b) > max_bits:
                raise LimitExceeded(f"exponent {b} is larger than {max_bits}")
        result = a**b
        if isinstance(result, complex):
            raise ValueError("'**' gave a complex number, which expressions do not support")
        return result

    return power


PLAIN: dict[str, PlainOperator] = {
    "Sub": minus,
    "Div": operator.truediv,
    "FloorDiv": operator.floordiv,
    "Mod": modulo,
}
