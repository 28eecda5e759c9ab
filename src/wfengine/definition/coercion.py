"""Values checked and converted by XPDL basic types: what the engine takes for a data field
or a formal parameter of a type, from whoever gives it (a starter, a script, an application,
an initial value).

Agents answer in what their protocols carry (HTTP/JSON and subprocess answers are text and
numbers), so a value is converted where that loses nothing: numbers and booleans parsed from
text, ISO 8601 dates and times, an integral float for an INTEGER, an integer for a FLOAT when
a float holds it exactly (2**53 + 1 it does not). Anything else is refused with a message
saying what was expected and what came.

Why it lives in :mod:`wfengine.definition`: validation judges a constant initial value by
the conversion the engine applies to it (``'2024-01-01'`` for a DATE is taken), and the
definition layer may not import the runtime or Interface 3 above it; those import it from
here (and :mod:`wfengine.applications.coercion`, which re-exports it, as they always have).
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from wfengine.definition.iso_moments import HintedError, iso_datetime, iso_time
from wfengine.definition.literals import FLOAT_LARGEST, NOT_FINITE
from wfengine.definition.model import BasicTypeKind

#: an INTEGER as text: ASCII digits only, as the expression languages' readers take them
#: (``int()`` also took ``'١٢'`` and fullwidth ``'７'``; ``'1_000'`` it took, this refused)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
#: a FLOAT as text: a decimal number in ASCII (``2.5``, ``.5``, ``3.``, ``1e-3``), no ``_``
#: between digits; every run of digits possessive (a long run that is no number is not tried
#: split by split). ``float()`` also took ``'1_000'`` and other scripts' digits.
_FLOAT = re.compile(r"[+-]?(?:\d++(?:\.\d*+)?|\.\d++)(?:[eE][+-]?\d++)?", re.ASCII)
#: what a FLOAT given as a number text beyond a float's range (``1e400``) was expected to be:
#: such text became infinity, losing the number it wrote, where ``inf`` writes an infinity
_WITHIN_RANGE = (
    f"FLOAT (a number of at most about {FLOAT_LARGEST} in size; inf or -inf for an infinity)"
)


#: an EnumerationType's values: a value of it is one of these texts
Choices = frozenset[str]


@dataclass(frozen=True, slots=True)
class ListOf:
    """A value that is itself a list, each item of it checked by ``element``: the item of an
    array of arrays (XPDL's ArrayType of an ArrayType), so that every level is checked."""

    element: Checked


#: what a value is checked against: an XPDL basic type, an enumeration, a list of either
#: (an array of arrays' item), or None (unchecked)
Checked = BasicTypeKind | Choices | ListOf | None


def coerce(value: Any, kind: Checked, is_array: bool = False) -> Any:
    """``value`` checked against an XPDL basic type (or an enumeration's values) and
    converted where that loses nothing.

    None (an unset field) passes for every type. Strings are parsed for numbers, booleans
    (``true``/``false``) and ISO dates and times, since HTTP, JSON and subprocess agents
    answer in text; numbers become strings for STRING; an integral float becomes an INTEGER,
    an integer a FLOAT when a float holds it exactly.
    An enumeration's value must be one of its texts, as written. REFERENCE values are
    opaque and pass unchanged; types that are not basic are not checked (``kind`` None),
    but an array of them (``is_array``) must be a list all the same. A
    :class:`ListOf` kind (an array of arrays' item) checks a list of its element, so
    ``coerce(v, ListOf(INTEGER), True)`` takes ``[[1, 2], [3]]`` and refuses ``[1, 2]``.
    A list whose items all fit as given is returned itself (the same object); one with an
    item converted is a new list. Raises ``ValueError`` saying what was expected and what
    came.
    """
    if value is None:
        return value
    if not is_array and type(value) is _AS_IS.get(kind):  # (most: given as its type holds it)
        return value
    if is_array:
        if not isinstance(value, list | tuple):
            what = _kind_name(kind) if kind is not None else "values"
            raise CoercionError(f"a list of {what}", value)
        if kind is None:  # an array of records, schemas...: a list, its items unchecked
            return value if isinstance(value, list) else list(value)
        items = [coerce(v, kind) for v in value]
        # the list given when no item changed (each converted item is the one given then):
        # a caller tells a converted list by identity, as it tells a converted value
        if isinstance(value, list) and all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return items
    if kind is None:
        return value
    if isinstance(kind, ListOf):  # an item of an array of arrays: a list of its own
        return coerce(value, kind.element, True)
    if isinstance(kind, frozenset):
        if isinstance(value, str) and value in kind:
            return _plain_text(value)
        raise CoercionError(_kind_name(kind), value)
    return _COERCE[kind](value)


def converts(value: Any, kind: Checked) -> bool:
    """Whether the engine takes ``value`` for ``kind`` (:func:`coerce` converts it): what
    validation judges a definition's constants by (initial values, assignments), so that
    what validates is what runs."""
    try:
        coerce(value, kind)
    except ValueError:  # (a CoercionError)
        return False
    return True


def _kind_name(kind: BasicTypeKind | Choices | ListOf) -> str:
    if isinstance(kind, ListOf):
        return f"lists of {_kind_name(kind.element) if kind.element is not None else 'values'}"
    if isinstance(kind, frozenset):
        return "one of " + ", ".join(map(repr, sorted(kind)))
    return kind.value


def _describe(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:  # a broken __repr__, an integer too long for text: the type says enough
        return type(value).__name__
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


class CoercionError(ValueError):
    """A value that is not of the type expected; ``hidden`` says so without showing it (for
    a sensitive parameter, whose value must not reach an incident or the audit trail)."""

    def __init__(self, expected: str, value: Any) -> None:
        super().__init__(f"expected {expected}, got {_describe(value)}")
        self.expected = expected
        self.hidden = f"expected {expected}, got a {type(value).__name__} (not shown: sensitive)"


class FloatRangeError(CoercionError):
    """A number text beyond a float's range given for a FLOAT (``1e400``): it became infinity,
    losing the number written, where the text ``inf`` names an infinity and is taken. (The
    command line, which takes no infinity, tells it as any FLOAT that is not finite.)"""


def _expected(kind: str, value: Any) -> ValueError:
    return CoercionError(kind, value)


def _plain_text(v: str) -> str:
    """``v`` as a plain ``str`` (a StrEnum member is its value): what every store gives back."""
    return v if type(v) is str else str.__str__(v)


def _string(v: Any) -> str:
    if isinstance(v, str):
        return _plain_text(v)
    if isinstance(v, int | float) and not isinstance(v, bool):
        # a subclass (an ``(int, Enum)`` member, ``Level.LOW``) writes its own str: its
        # plain number is the value, as INTEGER and FLOAT take it
        if isinstance(v, int) and type(v) is not int:
            v = int.__int__(v)
        elif isinstance(v, float) and type(v) is not float:
            v = float.__float__(v)
        try:
            return str(v)
        except ValueError:  # an integer longer than Python writes as text (4,300 digits)
            digits = f"{sys.get_int_max_str_digits():,}"
            raise _expected(f"STRING (from an integer of at most {digits} digits)", v) from None
    raise _expected("STRING", v)


def _integer(v: Any) -> int:
    if type(v) is int:  # (most: no further look)
        return v
    if isinstance(v, bool):
        raise _expected("INTEGER", v)
    if isinstance(v, int):
        return int.__int__(v)  # an IntEnum member: its plain int
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, Decimal) and _whole(v):  # a NUMERIC column's 3, or 3.00: nothing lost
        return int(v)
    if isinstance(v, str) and _INTEGER.fullmatch(text := v.strip()):
        try:
            return int(text)
        except ValueError:  # more digits than Python reads (4,300), far more than are stored
            pass
    raise _expected("INTEGER", v)


def _float(v: Any) -> float:
    if isinstance(v, bool):
        raise _expected("FLOAT", v)
    if isinstance(v, int):
        return _float_of_integer(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, Decimal):
        return _float_of_decimal(v)
    if isinstance(v, str) and NOT_FINITE.fullmatch(text := v.strip()):
        return float(text)
    if isinstance(v, str) and _FLOAT.fullmatch(text):
        if _INTEGER.fullmatch(text):  # an integer written as text (--set f=...): as an int
            try:
                number = int(text)
            except ValueError:  # more digits than Python reads: far beyond a float's range
                raise FloatRangeError(_WITHIN_RANGE, v) from None
            if abs(number) > sys.float_info.max:  # (compared exactly)
                raise FloatRangeError(_WITHIN_RANGE, v)
            # the sign as written: ``-0`` is -0.0, as ``float("-0")`` is (int("-0") is 0)
            return math.copysign(_float_of_integer(number), -1.0 if text[0] == "-" else 1.0)
        found = float(text)
        if math.isinf(found):  # 1e400: a number lost, not the infinity text names (inf)
            raise FloatRangeError(_WITHIN_RANGE, v)
        return found
    raise _expected("FLOAT", v)


#: most digits before the point a Decimal taken for an INTEGER may have: past an INTEGER's
#: 4,096 bits (1,234 digits) it is no INTEGER, and ``int()`` of ``Decimal('1E+999999999')``
#: would build a billion digits first
_DECIMAL_DIGITS = 1_234


def _whole(v: Decimal) -> bool:
    """Whether ``v`` is a whole number an INTEGER may hold: ``Decimal('3')``, and
    ``Decimal('3.00')`` too (its zeros are the column's scale, no fraction), as the float
    ``3.0`` is taken; not ``3.5``, NaN or an infinity."""
    return v.is_finite() and v.adjusted() < _DECIMAL_DIGITS and v == v.to_integral_value()


def _float_of_decimal(v: Decimal) -> float:
    """``v`` by the rule its text follows, read from that text (``'12.50'`` is 12.5, the
    nearest float; NaN and the infinities are themselves; a whole number only when a float
    holds it exactly, as ``'9007199254740993'`` is refused; one beyond a float's range is
    refused, and a signalling NaN): one rule for a NUMERIC column's value and its text."""
    try:
        return _float(str(v))
    except CoercionError as exc:
        raise type(exc)(exc.expected, v) from None


def _float_of_integer(v: int) -> float:
    """``v`` as a float when that is exactly ``v``, else refused: converting is promised only
    where nothing is lost, and 2**53 + 1 became 9007199254740992.0 without a word. Python
    compares an int with a float exactly, so an integer past 2**53 that a float holds
    (10**20, 2**60) is still taken."""
    try:
        found = float(v)
    except OverflowError:  # an integer beyond a float's range is no FLOAT
        raise _expected("FLOAT", v) from None
    if found != v:
        bits = sys.float_info.mant_dig
        raise _expected(
            f"FLOAT (an integer a float holds exactly, as every one up to 2**{bits} in size)", v
        )
    return found


def _boolean(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("true", "false"):
        return v.strip().lower() == "true"
    raise _expected("BOOLEAN", v)


def _datetime(v: Any) -> datetime:
    """A date-time; one without an offset is UTC, as a literal's is (docs/semantics.md), so
    it compares with ``now()`` and every store keeps it alike. A date is its midnight UTC, as
    its text (``2024-01-02``) is: a DATE field's value passed on to a DATETIME field or formal
    parameter is taken as the same text would be."""
    found: datetime | None = v if isinstance(v, datetime) else None
    if found is None and isinstance(v, date):
        found = datetime(v.year, v.month, v.day, tzinfo=UTC)
    if isinstance(v, str):
        try:
            found = iso_datetime(v.strip())  # (24:00 refused on every Python)
        except HintedError as exc:  # (what to write instead: a date joined to its time...)
            raise _expected(f"DATETIME (ISO 8601: {exc.hint})", v) from None
        except ValueError:
            found = None
    if found is None:
        raise _expected("DATETIME (ISO 8601)", v)
    return found if found.utcoffset() is not None else found.replace(tzinfo=UTC)


def _date(v: Any) -> date:
    if isinstance(v, date) and not isinstance(v, datetime):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            pass
    raise _expected("DATE (ISO 8601)", v)


def _time(v: Any) -> time:
    if isinstance(v, time):
        return v
    if isinstance(v, str):
        try:
            return iso_time(v.strip())
        except ValueError:
            pass
    raise _expected("TIME (ISO 8601)", v)


def _performer(v: Any) -> str:
    if isinstance(v, str):
        return _plain_text(v)
    raise _expected("PERFORMER (a participant or user id)", v)


_COERCE: dict[BasicTypeKind, Callable[[Any], Any]] = {
    BasicTypeKind.STRING: _string,
    BasicTypeKind.INTEGER: _integer,
    BasicTypeKind.FLOAT: _float,
    BasicTypeKind.BOOLEAN: _boolean,
    BasicTypeKind.DATETIME: _datetime,
    BasicTypeKind.DATE: _date,
    BasicTypeKind.TIME: _time,
    BasicTypeKind.REFERENCE: lambda v: v,
    BasicTypeKind.PERFORMER: _performer,
}

#: a basic type -> the one type of value :func:`coerce` returns as it is given, tried first.
#: Why: a value of that exact type (an ``int`` for an INTEGER) is by far the most common,
#: and three type tests and a call per value were a tenth of a microsecond an application's
#: every parameter paid, each way (a subclass, a bool for an INTEGER, goes the long way)
_AS_IS: dict[Checked, type] = {
    BasicTypeKind.STRING: str,
    BasicTypeKind.INTEGER: int,
    BasicTypeKind.FLOAT: float,
    BasicTypeKind.BOOLEAN: bool,
    BasicTypeKind.DATE: date,
    BasicTypeKind.TIME: time,
    BasicTypeKind.PERFORMER: str,
}
