"""The functions and string methods an expression may call, and nothing else.

Each function takes the evaluation context first (for the work budget and the clock) and then
the expression's arguments. Their Python signatures are the language's signatures: the compiler
checks every call against them once, so ``len(a, b)`` or ``sorted(x, key=f)`` is a syntax error
with an offset, not a surprise at run time.

Deliberate differences from Python's built-ins:

* ``min``, ``max``, ``sum``, ``any``, ``all`` and ``sorted`` charge the length of what they
  iterate to the budget, so repeating them over a large value cannot multiply the cost.
* ``sorted`` has no ``key`` and ``min``/``max`` have no ``key``: expressions have no functions
  as values. Values they cannot order (a number and a text, a null, a date-time without a time
  zone and one with) are refused in the ordering operators' words, not Python's
  (:func:`.c_like_arithmetic.unordered_error`).
* ``sum`` only starts from a number or a ``timedelta`` (``sum(lists, [])`` is quadratic).
* ``sum`` and ``round`` refuse an integer result wider than ``max_int_bits``, as the
  arithmetic operators do.
* ``strip``, ``lstrip`` and ``rstrip`` charge the text they walk and the ``chars`` they
  are given, and take time linear in both (Python's own compares every character of the
  text with every one of ``chars``).
* ``str`` of a container works out the length of its text first (wide integers and
  repeated parts included, :mod:`.text_size`) and refuses one the budget cannot pay for
  before printing anything; the text printed is charged to the budget.
* ``int`` of a string is limited to as many digits as ``max_int_bits`` allows.
* ``datetime(...)`` returns an aware UTC datetime, like the default clock behind ``now()``, so
  the two compare; ``today()`` is the date of ``now()``.
* ``timedelta`` takes ``days`` and ``seconds`` positionally (as Python does) and everything else
  by keyword only, because Python's positional order after ``seconds`` surprises everyone.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from wfengine.expressions.c_like_arithmetic import unordered_error
from wfengine.expressions.context import (
    FREE_TEXT,
    EvaluationContext,
    charge_affix,
    charge_text,
    is_container,
)
from wfengine.expressions.instants import instant
from wfengine.expressions.limits import MAX_ROUND_DIGITS, LimitExceeded, Limits
from wfengine.expressions.text_size import CONTAINERS, PYTHON, check_text_size

_MISSING: Any = object()


@dataclass(frozen=True, slots=True)
class Function:
    """A callable the language offers: its implementation and what the compiler must know."""

    name: str
    impl: Callable[..., Any]
    #: True if it charges the budget or reads the clock, so evaluation needs a fresh context
    uses_context: bool
    #: the signature calls are checked against (the implementation's, without ``ctx``)
    signature: inspect.Signature
    #: for methods: the types of value they may be called on (checked before every call)
    receivers: tuple[type, ...] = (str,)


def make_function(
    name: str,
    impl: Callable[..., Any],
    *,
    uses_context: bool = False,
    receivers: tuple[type, ...] = (str,),
) -> Function:
    sig = inspect.signature(impl)
    params = list(sig.parameters.values())[1:]  # drop ctx
    return Function(name, impl, uses_context, sig.replace(parameters=params), receivers)


# --- plain built-ins -------------------------------------------------------------------------


def _len(ctx: EvaluationContext, value: Any, /) -> int:
    return len(value)


def _abs(ctx: EvaluationContext, value: Any, /) -> Any:
    return abs(value)


def _bool(ctx: EvaluationContext, value: Any = False, /) -> bool:
    return bool(value)


def _float(ctx: EvaluationContext, value: Any = 0.0, /) -> float:
    return float(value)


def _iterated(ctx: EvaluationContext, values: Any) -> Any:
    """Charge a pass over ``values`` to the budget: its logical size for a container (comparing
    or summing nested items walks them), else its length when known."""
    if is_container(values):
        ctx.charge(ctx.size_of(values))
    elif isinstance(values, Sized):
        ctx.charge(len(values))
    return values


def _any(ctx: EvaluationContext, values: Iterable[Any], /) -> bool:
    return any(_iterated(ctx, values))


def _all(ctx: EvaluationContext, values: Iterable[Any], /) -> bool:
    return all(_iterated(ctx, values))


def _min(ctx: EvaluationContext, *values: Any, default: Any = _MISSING) -> Any:
    return _extreme(ctx, min, values, default)


def _max(ctx: EvaluationContext, *values: Any, default: Any = _MISSING) -> Any:
    return _extreme(ctx, max, values, default)


def _extreme(
    ctx: EvaluationContext, pick: Callable[..., Any], values: tuple[Any, ...], default: Any
) -> Any:
    if not values:
        raise TypeError(f"{pick.__name__}() expects at least one argument")
    if len(values) == 1:
        _iterated(ctx, values[0])
    elif any(is_container(v) for v in values):
        ctx.charge_sizes(*values)  # comparing the arguments walks them
    else:  # (texts compared walk as far as the shorter of each pair: all but the longest)
        lengths = sorted(len(v) for v in values if v.__class__ is str)
        if len(lengths) > 1 and lengths[-2] > FREE_TEXT:
            charge_text(ctx, sum(lengths[:-1]))
    if default is not _MISSING and len(values) != 1:
        raise TypeError(f"{pick.__name__}() takes 'default' only with a single iterable")
    key = _instant_key(values[0] if len(values) == 1 else values)
    try:
        if default is _MISSING:
            return pick(*values, key=key)
        return pick(values[0], default=default, key=key)
    except TypeError as exc:
        items = values[0] if len(values) == 1 else values
        raise unordered_error(pick.__name__, items) or exc from None


def _instant_key(items: Any) -> Callable[[Any], Any] | None:
    """The key ``max``, ``min`` and ``sorted`` order ``items`` by: date-times by instant
    (:func:`~wfengine.expressions.instants.instant`; Python orders two of one zone on its wall
    clock), when the first item is one (an ordering of mixed kinds fails either way); None,
    Python's own ordering at no cost, for anything else."""
    listed = isinstance(items, list | tuple | set | frozenset | dict) and bool(items)
    return instant if listed and isinstance(next(iter(items)), datetime) else None


def _narrow(result: Any, max_bits: int) -> Any:
    """``result``, unless it is an integer wider than ``max_bits``."""
    if result.__class__ is int and result.bit_length() > max_bits:
        raise LimitExceeded(f"integer result wider than {max_bits} bits")
    return result


def _make_round(limits: Limits) -> Callable[..., Any]:
    max_bits = limits.max_int_bits

    def _round(ctx: EvaluationContext, value: Any, ndigits: Any = None, /) -> Any:
        if ndigits is None:
            return round(value)
        if not isinstance(ndigits, int) or abs(ndigits) > MAX_ROUND_DIGITS:
            raise ValueError(f"round() takes ndigits as an integer between ±{MAX_ROUND_DIGITS}")
        return _narrow(round(value, ndigits), max_bits)  # round(2**4096 - 1, -1) is 2**4096

    return _round


def _make_sum(limits: Limits) -> Callable[..., Any]:
    max_bits = limits.max_int_bits

    def _sum(ctx: EvaluationContext, values: Iterable[Any], /, start: Any = 0) -> Any:
        if not isinstance(start, int | float | timedelta):
            raise TypeError("sum() starts only from a number or a timedelta")
        return _narrow(sum(_iterated(ctx, values), start), max_bits)

    return _sum


def _sorted(ctx: EvaluationContext, values: Iterable[Any], /, *, reverse: Any = False) -> list[Any]:
    # a sort compares each item about log2(n) times: charge a walk of the value that often
    if isinstance(values, list | tuple | set | frozenset | dict):
        ctx.charge(ctx.size_of(values) * max(1, len(values).bit_length()))
    try:
        result = sorted(_iterated(ctx, values), reverse=bool(reverse), key=_instant_key(values))
    except TypeError as exc:
        raise unordered_error("sorted", values) or exc from None
    ctx.charge(len(result))
    return result


def _make_int(limits: Limits) -> Callable[..., int]:
    max_bits = limits.max_int_bits
    # a decimal digit carries log2(10) ≈ 3.32 bits; allow sign, spaces and underscores besides
    max_chars = int(max_bits / math.log2(10)) + 16

    def _int(ctx: EvaluationContext, value: Any = 0, /) -> int:
        if isinstance(value, str | bytes | bytearray) and len(value) > max_chars:
            raise LimitExceeded(f"int() of a string longer than {max_chars} characters")
        result = int(value)
        if result.bit_length() > max_bits:
            raise LimitExceeded(f"integer wider than {max_bits} bits")
        return result

    return _int


def _str(ctx: EvaluationContext, value: Any = "", /) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, CONTAINERS):
        check_text_size(value, ctx.remaining, PYTHON)  # before printing it (see .text_size)
    result = str(value)
    ctx.charge(len(result))
    return result


# --- dates and times -------------------------------------------------------------------------


def _now(ctx: EvaluationContext, /) -> datetime:
    """The clock's time at its fixed offset of the moment: it reads as the clock's local time,
    but Python adds a timedelta to a datetime with a zone on the zone's wall clock, so on a
    clock in a zone with summer time ``now() + timedelta(hours=24)`` was 23 or 25 real hours
    away across a change, where every other duration is real time."""
    t = ctx.now()
    offset = t.utcoffset()
    if offset is None or type(t.tzinfo) is timezone:
        return t
    return t.astimezone(timezone(offset))


def _today(ctx: EvaluationContext, /) -> date:
    return ctx.now().date()


def _date(ctx: EvaluationContext, year: int, month: int, day: int, /) -> date:
    return date(year, month, day)


def _datetime(
    ctx: EvaluationContext,
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    microsecond: int = 0,
) -> datetime:
    return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=UTC)


def _timedelta(
    ctx: EvaluationContext,
    days: float = 0,
    seconds: float = 0,
    *,
    minutes: float = 0,
    hours: float = 0,
    weeks: float = 0,
    milliseconds: float = 0,
) -> timedelta:
    return timedelta(
        days=days,
        seconds=seconds,
        minutes=minutes,
        hours=hours,
        weeks=weeks,
        milliseconds=milliseconds,
    )


# --- string methods --------------------------------------------------------------------------


def _charged(ctx: EvaluationContext, result: str) -> str:
    """Charge a newly built string to the budget."""
    ctx.charge(len(result))
    return result


def _lower(ctx: EvaluationContext, text: str, /) -> str:
    return _charged(ctx, str.lower(text))


def _upper(ctx: EvaluationContext, text: str, /) -> str:
    return _charged(ctx, str.upper(text))


#: most characters to strip that Python's own ``strip`` is given: it compares each character
#: of the text with each of them, so a long ``chars`` makes it quadratic
_FEW_CHARS = 16


def _stripped(ctx: EvaluationContext, text: str, chars: str | None, left: bool, right: bool) -> str:
    """``text`` stripped of ``chars`` at the ends asked, in time linear in both.

    Stripping walks the text from its ends and copies what remains: at most the whole text,
    charged as such; a ``chars`` given is charged too, and if it has more than a few
    distinct characters they are looked up in a set rather than scanned for each character.
    """
    ctx.charge(len(text))
    if chars is not None and isinstance(chars, str) and len(chars) > _FEW_CHARS:
        ctx.charge(len(chars))
        wanted = set(chars)
        if len(wanted) > _FEW_CHARS:
            start, end = 0, len(text)
            if left:
                while start < end and text[start] in wanted:
                    start += 1
            if right:
                while end > start and text[end - 1] in wanted:
                    end -= 1
            return text[start:end]
        chars = "".join(wanted)  # few distinct: Python's own, given each once, is linear
    return _PYTHON_STRIP[left, right](text, chars)


#: Python's own strip for the ends asked (left, right); what it is given is at most
#: ``_FEW_CHARS`` characters long (a test holds it to that)
_PYTHON_STRIP: dict[tuple[bool, bool], Callable[[str, str | None], str]] = {
    (True, True): str.strip,
    (True, False): str.lstrip,
    (False, True): str.rstrip,
}


def _strip(ctx: EvaluationContext, text: str, chars: str | None = None, /) -> str:
    return _stripped(ctx, text, chars, True, True)


def _lstrip(ctx: EvaluationContext, text: str, chars: str | None = None, /) -> str:
    return _stripped(ctx, text, chars, True, False)


def _rstrip(ctx: EvaluationContext, text: str, chars: str | None = None, /) -> str:
    return _stripped(ctx, text, chars, False, True)


def _startswith(ctx: EvaluationContext, text: str, prefix: str | tuple[str, ...], /) -> bool:
    charge_affix(ctx, text, prefix)
    return str.startswith(text, prefix)


def _endswith(ctx: EvaluationContext, text: str, suffix: str | tuple[str, ...], /) -> bool:
    charge_affix(ctx, text, suffix)
    return str.endswith(text, suffix)


def functions(limits: Limits) -> dict[str, Function]:
    """The callable functions by name, for expressions compiled under ``limits``."""
    table = [
        make_function("len", _len),
        make_function("min", _min, uses_context=True),
        make_function("max", _max, uses_context=True),
        make_function("abs", _abs),
        make_function("round", _make_round(limits)),
        make_function("int", _make_int(limits)),
        make_function("float", _float),
        make_function("str", _str, uses_context=True),
        make_function("bool", _bool),
        make_function("sum", _make_sum(limits), uses_context=True),
        make_function("any", _any, uses_context=True),
        make_function("all", _all, uses_context=True),
        make_function("sorted", _sorted, uses_context=True),
        make_function("now", _now, uses_context=True),
        make_function("today", _today, uses_context=True),
        make_function("date", _date),
        make_function("datetime", _datetime),
        make_function("timedelta", _timedelta),
    ]
    return {f.name: f for f in table}


#: string methods: ``text.lower()`` calls these with the string as first argument, after the
#: compiled call has checked that it *is* a string (no attribute lookup on any value, ever)
STRING_METHODS: dict[str, Function] = {
    f.name: f
    for f in (
        make_function("lower", _lower, uses_context=True),
        make_function("upper", _upper, uses_context=True),
        make_function("strip", _strip, uses_context=True),
        make_function("lstrip", _lstrip, uses_context=True),
        make_function("rstrip", _rstrip, uses_context=True),
        make_function("startswith", _startswith),
        make_function("endswith", _endswith),
    )
}
