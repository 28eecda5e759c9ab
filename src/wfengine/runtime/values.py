"""The values an instance can hold: what the engine stores, and how it stores them.

Instance data, audit details and job payloads are user values. JSON types pass as they are;
``datetime``, ``date``, ``time``, ``timedelta``, ``Decimal``, tuples and non-finite floats are
tagged as ``{"$wf": tag, "v": text}`` (a datetime or a time also keeps its named zone and
``fold``; a user dict that itself has a ``"$wf"`` key is wrapped too, so nothing is mistaken
for a tag). Anything else (sets, objects, dicts with keys that are not strings, a datetime in
a zone that would not read back the same), integers wider than :data:`MAX_INT_BITS` and
values with lists, tuples or dicts nested more than :data:`MAX_DEPTH` levels (a list of 64
nested lists of numbers is fine; one more list is not; what the innermost holds adds no
level) raise :class:`~wfengine.errors.DataNotStorableError` naming the field.

The SQL store encodes with these functions; the engine checks data with
:func:`check_storable` where it enters (a started instance's data, a completed work item's,
``set_data``, an application's outputs, initial values), so a value the SQL store could not
store is refused the same way by the in-memory store, before anything changes.
:func:`check_storable` is the only judge of depth: a store encodes a field's value inside
containers of its own (the instance's data mapping, an audit event's ``{"values": {field:
[old, new]}}``, a job's payload), so :func:`encode_value` allows :data:`_WRAPPING` levels
more, and a value :func:`check_storable` accepts is stored however it is wrapped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from contextlib import suppress
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wfengine.errors import DataNotStorableError, Place, place_text

# (copies that share nothing with the caller live below every layer, for Interface 3 too;
# the runtime's modules import them from here as they always have)
from wfengine.value_copies import owned as owned
from wfengine.value_copies import owned_values as owned_values
from wfengine.value_copies import shares as shares

_TAG = "$wf"
#: deepest nesting of lists, tuples and dicts a value may have
MAX_DEPTH = 64
#: levels of containers a store may wrap a value in (data, an audit detail, a payload)
_WRAPPING = 8
#: the nesting :func:`encode_value` allows, the wrapping included
_STORED_DEPTH = MAX_DEPTH + _WRAPPING
#: widest integer a value may hold (the expression language's own limit)
MAX_INT_BITS = 4_096

_Clock = TypeVar("_Clock", datetime, time)


#: where a value sits, rendered only when it is refused: the caller's text, or (the place of
#: the container, the index or key inside it)
_Where = str | tuple["_Where", int | str]


def _plain(value: Any) -> bool:
    """Whether ``value`` is stored as it is, without a look at where it is (most values)."""
    kind = type(value)
    return (
        kind is str
        or value is None
        or kind is bool
        or (kind is int and value.bit_length() <= MAX_INT_BITS)
    )


def _render(where: _Where) -> str:
    """The text of a place (``instance 'pi-1', data['x'][2]``)."""
    keys: list[int | str] = []
    while isinstance(where, tuple):
        where, key = where
        keys.append(key)
    return where + "".join(f"[{k}]" if type(k) is int else f"[{k!r}]" for k in reversed(keys))


def encode_value(value: Any, where: str, depth: int = 0) -> Any:
    """``value`` as JSON-ready data; raises DataNotStorableError naming ``where`` (and the
    index or key inside it).

    ``value`` is what a store writes: user values inside up to :data:`_WRAPPING` levels of
    the store's own containers (``depth`` levels are already around it)."""
    return _encode(value, where, depth)


def correlation_value(value: Any) -> str:
    """A correlation key's value as every store holds and looks it up: canonical JSON of its
    stored form (10.0 is not 10, True is not 1), an aware datetime by its instant in UTC
    (Paris 14:00 is UTC 12:00, as ``==`` says, and the key's declared type reads both)."""
    return _canonical(_instants(encode_value(value, "a correlation value")))


def correlation_forms(value: Any) -> tuple[str, ...]:
    """The forms to look ``value`` up by among stored correlation rows: its
    :func:`correlation_value`, then, when it differs, the form rows written before datetimes
    were keyed by their instant hold (a row keeps it until its instance's next commit
    rewrites the rows). Why both, not a migration re-keying the rows: a migration would make
    every existing database refuse to open until upgraded, for rows that re-key themselves at
    their next commit; the old form is one more value in the same index lookup, and it can
    only match the same instant (it holds the value's own offset or zone)."""
    encoded = encode_value(value, "a correlation value")  # (once: _instants builds anew)
    new, old = _canonical(_instants(encoded)), _canonical(encoded)
    return (new,) if old == new else (new, old)


def _canonical(encoded: Any) -> str:
    return json.dumps(encoded, sort_keys=True, separators=(",", ":"))


def _instants(encoded: Any) -> Any:
    """``encoded`` (what :func:`encode_value` returned) with each aware datetime in it, inside
    lists, tuples and dicts too, made its instant in UTC (zone, zone name and ``fold`` gone:
    they do not change the instant). A naive datetime has no instant and stays as it is (it
    equals no aware one)."""
    if isinstance(encoded, list):
        return [_instants(v) for v in encoded]
    if not isinstance(encoded, dict):
        return encoded
    tag = encoded.get(_TAG)
    if tag is None:
        return {k: _instants(v) for k, v in encoded.items()}
    if tag == "dict":
        return {_TAG: tag, "v": {k: _instants(v) for k, v in encoded["v"].items()}}
    if tag == "tuple":
        return {_TAG: tag, "v": _instants(encoded["v"])}
    if tag == "datetime":
        when = datetime.fromisoformat(encoded["v"])
        if when.utcoffset() is not None:
            return {_TAG: tag, "v": _utc_text(when)}
    return encoded


def _utc_text(when: datetime) -> str:
    """The ISO text of aware ``when``'s instant in UTC (``...+00:00``). An instant before
    year 1 or after year 9999 (``0001-01-01T00:30+01:00``) has no ``datetime`` but the same
    kind of text (``0000-12-31T23:30:00+00:00``): a key there was refused before, by an
    OverflowError, rather than stored. Such an instant lies less than a day beyond the
    range, so a shift by one day brings it in."""
    wall = when.replace(tzinfo=None)
    offset = when.utcoffset()
    assert offset is not None
    try:
        return (wall - offset).isoformat() + "+00:00"
    except OverflowError:
        day = timedelta(days=1)
        if wall.year == 1:
            return "0000-12-31T" + (wall + day - offset).time().isoformat() + "+00:00"
        return "10000-01-01T" + (wall - day - offset).time().isoformat() + "+00:00"


def _encode(value: Any, where: _Where, depth: int) -> Any:
    # the place is a chain of tuples, made into text only for an error: building the text of
    # every nested value's place was most of the cost of storing an audit detail. ``depth``
    # counts the containers around ``value``.
    if type(value) is dict and depth < _STORED_DEPTH:
        return _encode_dict(value, where, depth)
    if _plain(value):
        return value
    if isinstance(value, bool | int | str):
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise DataNotStorableError(
                _render(where),
                value,
                f"an integer wider than {MAX_INT_BITS} bits (about 1,233 digits) cannot be "
                f"stored; this one has {value.bit_length():,}",
            )
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {_TAG: "float", "v": repr(value)}
    if depth >= _STORED_DEPTH and isinstance(value, list | tuple | Mapping):
        deep = f"a value nested deeper than {MAX_DEPTH} levels cannot be stored"
        raise DataNotStorableError(_render(where), value, deep)
    if isinstance(value, list):
        return [v if _plain(v) else _encode(v, (where, i), depth + 1) for i, v in enumerate(value)]
    if isinstance(value, tuple):
        return {_TAG: "tuple", "v": _encode(list(value), where, depth)}
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):  # the key is what is wrong, not a value in it
                raise DataNotStorableError(
                    _render(where), k, f"a dict key must be a str, not {_shown(k)}"
                )
            out[k] = v if _plain(v) else _encode(v, (where, k), depth + 1)
        return {_TAG: "dict", "v": out} if _TAG in out else out
    if isinstance(value, datetime | time):
        return _encode_clock(value, where)
    if isinstance(value, date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, timedelta):
        return {_TAG: "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "v": str(value)}
    raise DataNotStorableError(_render(where), value)


def _encode_dict(value: dict[Any, Any], where: _Where, depth: int) -> Any:
    """:func:`_encode` of a plain ``dict`` (most values a store encodes: an audit detail, an
    outbox payload, the data), the same checks in the same order, with :func:`_plain`'s
    test written out per value. Why: a command encodes a dozen such dicts, and the general
    path asked three ABC ``isinstance`` questions of each and called :func:`_plain` per
    value."""
    out: dict[str, Any] = {}
    for k, v in value.items():
        if type(k) is not str and not isinstance(k, str):  # the key is what is wrong
            raise DataNotStorableError(
                _render(where), k, f"a dict key must be a str, not {_shown(k)}"
            )
        kind = type(v)
        if (
            kind is str
            or v is None
            or kind is bool
            or (kind is int and v.bit_length() <= MAX_INT_BITS)
        ):
            out[k] = v
        else:
            out[k] = _encode(v, (where, k), depth + 1)
    return {_TAG: "dict", "v": out} if _TAG in out else out


def _shown(value: Any) -> str:
    """``value``'s type and repr, cut short (an error names it; a key may be any object,
    even one whose repr fails or runs long)."""
    try:
        text = repr(value)
    except Exception:  # a broken __repr__, an int too long for text: the type says enough
        return type(value).__name__
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def decode_value(value: Any) -> Any:
    """The inverse of :func:`encode_value`."""
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(_TAG)
    if tag is None:
        return {k: decode_value(v) for k, v in value.items()}
    v = value["v"]
    if tag == "dict":
        return {k: decode_value(x) for k, x in v.items()}
    if tag == "tuple":
        return tuple(decode_value(x) for x in v)
    if tag == "float":
        return float(v)
    if tag == "datetime":
        return _decode_clock(datetime.fromisoformat(v), value)
    if tag == "date":
        return date.fromisoformat(v)
    if tag == "time":
        return _decode_clock(time.fromisoformat(v), value)
    if tag == "timedelta":
        return timedelta(days=v[0], seconds=v[1], microseconds=v[2])
    if tag == "decimal":
        return Decimal(v)
    raise ValueError(f"unknown stored value tag {tag!r}")


def _encode_clock(value: datetime | time, where: _Where) -> dict[str, Any]:
    """A datetime or time as its ISO text, plus what the text leaves out: the name of a
    fixed-offset zone, the key of a named zone (``ZoneInfo``: the wall time a day later
    depends on it, not on today's offset) and ``fold`` (which of two equal wall times of a
    night when clocks go back).

    A zone that could not be read back the same (another ``tzinfo`` class, or a ``ZoneInfo``
    made from a file, without a key) is refused rather than stored as something else.
    """
    tag = "datetime" if isinstance(value, datetime) else "time"
    out: dict[str, Any] = {_TAG: tag, "v": value.isoformat()}
    zone = value.tzinfo
    if zone is None:
        pass
    elif type(zone) is timezone:
        name = zone.tzname(None)
        if name != timezone(zone.utcoffset(None)).tzname(None):
            out["tzname"] = name  # timezone(offset, name): the text keeps only the offset
    elif isinstance(zone, ZoneInfo) and zone.key is not None:
        out["tz"] = zone.key
    else:
        raise DataNotStorableError(
            _render(where),
            value,
            f"a {tag} in the time zone {zone!r} cannot be stored: use a fixed offset "
            "(datetime.timezone) or a named zone (zoneinfo.ZoneInfo)",
        )
    if value.fold:
        out["fold"] = 1
    return out


def _decode_clock(value: _Clock, stored: Mapping[str, Any]) -> _Clock:
    key = stored.get("tz")
    if "tzname" in stored and isinstance(value.tzinfo, timezone):
        value = value.replace(tzinfo=timezone(value.tzinfo.utcoffset(None), stored["tzname"]))
    elif key is not None:
        # a machine that lacks the zone keeps the text's fixed offset: the same instant
        with suppress(ZoneInfoNotFoundError, ValueError):
            value = value.replace(tzinfo=ZoneInfo(key))
    if stored.get("fold"):
        value = value.replace(fold=1)
    return value


def check_storable(values: Mapping[str, Any], where: Place) -> bool:
    """Raise :class:`DataNotStorableError` naming the field of ``values`` that cannot be
    stored; nothing is changed. A field's name must be text: a store keeps the data as a JSON
    object (the memory store kept ``{1: "one"}``, which SQLite refused). Returns whether
    every value is plain (:func:`_plain`), so immutable: a new instance's data then needs no
    copy (``lifecycle.instance_data``)."""
    every_plain = True
    for name, value in values.items():
        if type(name) is not str and not isinstance(name, str):
            raise DataNotStorableError(
                f"{place_text(where)}, data key {name!r}",
                name,
                f"a data field's name must be a str, not {type(name).__name__} {name!r}",
            )
        if _plain(value):
            continue  # (most values: no place text to build for them)
        every_plain = False
        # as deep in as the stores' wrapping may put it: MAX_DEPTH levels are left
        encode_value(value, f"{place_text(where)}, data[{name!r}]", _WRAPPING)
    return every_plain
