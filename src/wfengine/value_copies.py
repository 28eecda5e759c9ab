"""Copies of user values that share nothing mutable with the caller's (:func:`owned`).

Why a module of its own, below every layer beside ``errors``: the runtime hands values on at
every command (a started instance's data, a snapshot, an audit event) and Interface 3 at every
application call (its arguments and answers), and ``applications`` sits below ``runtime``
(docs/architecture.md), so neither may keep this for the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

__all__ = ["owned", "owned_values", "plain_moment", "shares"]


#: the types of values that share nothing when handed on as they are (no list, dict or set
#: can be inside one); a user's subclass of one is not among them: :func:`owned` makes it plain
_IMMUTABLE = frozenset(
    {str, int, float, bool, type(None), Decimal, datetime, date, time, timedelta}
)


def owned(value: Any) -> Any:
    """``value`` sharing nothing mutable with the caller: lists, tuples, mappings and sets are
    copied all the way down, as the plain list, tuple or dict a database gives back (anything
    else a store keeps is immutable: text, numbers, times); a subclass of text or of a
    number (``StrEnum``, ``IntEnum``), of a time (a pandas ``Timestamp``: :func:`plain_moment`)
    or of ``Decimal`` is its plain ``str``, ``int``, ``float``, ``datetime`` ... or
    ``Decimal``, as a database gives it back too.

    Why: the memory store keeps the objects it is given, so a host that changed its own list
    after ``start_process`` (or a snapshot's, or an audit event's) would change the
    instance behind the engine's back, unaudited, and differently from a database, which
    stores a copy.
    """
    kind = type(value)  # (the plain containers and leaves first: half the time)
    if kind is dict:
        return {k: v if type(v) in _IMMUTABLE else owned(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _IMMUTABLE else owned(v) for v in value]
    if kind in _IMMUTABLE:
        return value
    # a subclass of text or a number (a StrEnum, an IntEnum): the plain value, as a database
    # gives it back, so the memory store holds what SQLite and PostgreSQL hold (the
    # subclass's own __str__/__int__ are not asked: they may say something else)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):  # (bool, the one subclass that stays, is in _IMMUTABLE)
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    moment = plain_moment(value)
    if moment is not None:
        return moment
    if isinstance(value, Decimal):  # (made from its digits, not from what its __str__ says)
        return Decimal(value)
    if isinstance(value, dict):
        return {k: owned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [owned(v) for v in value]
    if isinstance(value, tuple):  # (a named tuple too: made as a database gives it back)
        return tuple(owned(v) for v in value)
    if isinstance(value, set | frozenset):
        return type(value)(owned(v) for v in value)
    if isinstance(value, Mapping):  # another mapping (a read-only view): a dict, as stored
        return {k: owned(v) for k, v in value.items()}
    return value


def plain_moment(value: Any) -> datetime | date | time | timedelta | None:
    """A subclass's datetime, date, time or timedelta (a pandas ``Timestamp``) as the plain
    one with the same fields (its zone and fold kept; digits below a microsecond, which no
    plain one holds, dropped, as a database drops them), as SQLite and PostgreSQL give it
    back: the memory store kept the subclass, whose methods and ``str`` say other things.
    A plain one is itself; anything else None."""
    if isinstance(value, datetime):
        if type(value) is datetime:
            return value
        return datetime(
            *(value.year, value.month, value.day),
            *(value.hour, value.minute, value.second, value.microsecond),
            value.tzinfo,
            fold=value.fold,
        )
    if isinstance(value, date):
        return value if type(value) is date else date(value.year, value.month, value.day)
    if isinstance(value, time):
        if type(value) is time:
            return value
        hms = (value.hour, value.minute, value.second, value.microsecond)
        return time(*hms, value.tzinfo, fold=value.fold)
    if isinstance(value, timedelta):
        if type(value) is timedelta:
            return value
        return timedelta(value.days, value.seconds, value.microseconds)
    return None


def shares(values: Mapping[str, Any]) -> bool:
    """Whether a value of ``values`` could be changed in place (a list, a dict, a set, a
    tuple holding one): only then does handing them on need :func:`owned_values` copies.

    Why a look first: an application's arguments and answers are handed on at every call,
    and most are text and numbers, which a copy would only slow down (a loop: ``any()`` of
    a generator takes half as long again)."""
    for value in values.values():  # noqa: SIM110
        if type(value) not in _IMMUTABLE:
            return True
    return False


def owned_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """A dict of ``values`` that shares nothing mutable with them (see :func:`owned`)."""
    out = dict(values)
    for name, value in out.items():
        if type(value) not in _IMMUTABLE:
            out[name] = owned(value)
    return out
