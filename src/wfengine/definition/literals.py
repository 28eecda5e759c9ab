"""Literal values of the XPDL basic types, as tools write them in text.

A data field's ``InitialValue`` is often not an expression but the value itself: ``un``,
``nobody``, ``2008-10-06T17:02:23.000+0000``. :func:`parse_literal` reads such text as a value
of the field's basic type, or says (``ValueError``) why it is not one. Date-times are read in
the ISO 8601 forms tools write (``T`` or a space between date and time, ``Z``, ``+0000`` or
``+00:00``); one without an offset is taken as UTC, the zone of ``now()`` in expressions, so
the two compare.
"""

from __future__ import annotations

import math
import re
import sys
from datetime import UTC, date, datetime, time
from typing import Any

from wfengine.definition.iso_moments import HintedError, iso_datetime, iso_time
from wfengine.definition.model import BasicTypeKind

#: most digits an INTEGER literal may have (a 4096-bit integer has 1234)
MAX_INTEGER_DIGITS = 1_000

#: most characters a FLOAT literal may have (as the expressions' number readers allow)
MAX_FLOAT_CHARS = 400

_INTEGER = re.compile(r"[+-]?\d+")
#: a FLOAT as tools write one: ``12``, ``2.5``, ``.5``, ``3.``, ``1e-3``. Every run of digits
#: is possessive, taken once and never given back: the text is a definition's initial value,
#: which may come from someone the host does not trust, and a long run of digits that is no
#: FLOAT (``1111...1x``) made ``\d+\.?\d*`` try every split of it (minutes for 100,000
#: digits, before the length was checked). The language is the same: a run of digits is
#: never followed by another digit the pattern could still want.
_FLOAT = re.compile(r"[+-]?(?:\d++(?:\.\d*+)?|\.\d++)(?:[eE][+-]?\d++)?")


def parse_literal(text: str, kind: BasicTypeKind) -> Any:
    """``text`` as a value of ``kind``; raises ``ValueError`` naming what was expected."""
    text = text.strip()
    reader = _READERS.get(kind)
    if reader is None:  # REFERENCE, PERFORMER: opaque text
        return text
    return reader(text)


def _string(text: str) -> str:
    return text


def _integer(text: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise ValueError(f"{text!r} is not an INTEGER")
    if len(text.lstrip("+-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"an INTEGER of more than {MAX_INTEGER_DIGITS} digits")
    return int(text)


#: NaN and the infinities as Python and JavaScript spell them, in any case (ASCII only: in
#: Unicode's case folding ``ınf`` matched, which ``float()`` refuses): a FLOAT given as text
#: at run time takes them too, by this one pattern (:mod:`wfengine.definition.coercion`)
NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.ASCII | re.IGNORECASE)


class OutOfRangeError(ValueError):
    """A number written as a literal of its type that the type cannot hold (``1e309`` for a
    FLOAT): a value of the wrong type, not an expression to try instead."""


def _float(text: str) -> float:
    """A FLOAT literal by the rule the engine applies to text given at run time: a decimal
    number (to the nearest float), or ``NaN``, ``inf``, ``Infinity``; a number beyond a
    float's range is refused, as silently becoming infinity would lose it."""
    if len(text) > MAX_FLOAT_CHARS:  # (not quoted: it may be megabytes)
        raise ValueError(f"a FLOAT of more than {MAX_FLOAT_CHARS} characters")
    if NOT_FINITE.fullmatch(text):
        return float(text)
    if not _FLOAT.fullmatch(text):
        raise ValueError(f"{text!r} is not a FLOAT")
    value = float(text)
    if math.isinf(value):
        raise OutOfRangeError(f"{text!r} is {FLOAT_RANGE}")
    return value


#: the largest FLOAT in size, as messages write it: a number text beyond it is refused, for a
#: FLOAT literal and for text given at run time (:mod:`wfengine.definition.coercion`) alike
FLOAT_LARGEST = f"{sys.float_info.max:.1e}"
FLOAT_RANGE = (
    f"beyond a FLOAT's range (at most about {FLOAT_LARGEST} in size): it would silently become "
    "infinity (write inf or -inf for an infinity)"
)


def _boolean(text: str) -> bool:
    """``true``/``false`` in any case; also ``1``/``0`` and ``yes``/``no``, which tools
    write for a BOOLEAN's initial value (read as the same True and False). Deliberately wider
    than what the engine takes from a program at run time (``true``/``false`` only,
    :mod:`wfengine.definition.coercion`): a definition's text is written by a modelling
    tool, a value at run time by code that can send a boolean."""
    lowered = text.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ValueError(f"{text!r} is not a BOOLEAN (true or false)")


def _datetime(text: str) -> datetime:
    try:
        value = iso_datetime(text)
    except HintedError as exc:
        raise ValueError(f"{text!r} is not a DATETIME (ISO 8601): {exc.hint}") from None
    except ValueError:
        raise ValueError(f"{text!r} is not a DATETIME (ISO 8601)") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _date(text: str) -> date:
    """A date; a date-time at midnight (``2008-10-06T00:00:00.000+0000``, how some tools
    write a date) is its date. One with a time of day is refused: which date it is depends on
    the zone it is read in (``2024-01-01T23:30:00-05:00`` is 2 January in UTC), and the
    engine refuses such text for a DATE from everyone else."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        value = iso_datetime(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a DATE (ISO 8601)") from None
    if value.time() != time(0):
        raise ValueError(
            f"{text!r} is a DATETIME with a time of day, not a DATE (write the date alone)"
        )
    return value.date()


def _time(text: str) -> time:
    try:
        return iso_time(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a TIME (ISO 8601)") from None


def zone_free_date(text: str) -> None:
    """Refuse (``ValueError``) a DATE written as a midnight at an offset other than UTC's.

    Why: a midnight with no offset or UTC's (``2008-10-06T00:00:00.000+0000``, how some tools
    write a date) is its date, as the engine reads a date-time without an offset as UTC; but
    ``2024-01-01T00:00:00+01:00`` is 31 December 23:00 in UTC, so which date it is depends
    on the zone it is read in: the reason a date-time with a time of day is refused holds
    for it as well, and taking the date as written would silently differ from how every
    date-time of the instance compares."""
    try:
        moment = iso_datetime(text)
    except ValueError:
        return  # a date alone (parse_literal read it)
    offset = moment.utcoffset()
    if offset:
        raise ValueError(
            f"{text!r} is a midnight at UTC offset {moment.strftime('%z')}, which is another "
            "day in UTC, not a DATE (write the date alone)"
        )


_READERS = {
    BasicTypeKind.STRING: _string,
    BasicTypeKind.INTEGER: _integer,
    BasicTypeKind.FLOAT: _float,
    BasicTypeKind.BOOLEAN: _boolean,
    BasicTypeKind.DATETIME: _datetime,
    BasicTypeKind.DATE: _date,
    BasicTypeKind.TIME: _time,
}
