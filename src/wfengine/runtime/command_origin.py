"""What names a host's command in the idempotency keys of the application calls it makes.

An application call's key is ``{instance}:{origin}.{n}/{iteration}/{position}@{nonce}``
(:func:`~wfengine.runtime.tools.run_tools`); ``origin.n`` is the activity instance's
:meth:`~wfengine.runtime.navigation.base.NavigatorBase.call_key`, ``n`` counting the activity
instances the command keyed. For a job's command the origin is the job's id, stored.

A command a host calls through the API (completing a work item, sending a signal, retrying
an incident...) has no stored id. Its origin used to be the engine's random tag and a count of
its commands, so a host killed while the command's automatic work called an application (the
command never committed) called the application again on its re-run with another key: the
service saw two calls where there was one. Now the origin says what the command is, from its
name and its arguments (:func:`origin_of`), marked with where its first call stands in the
process instance's history (``{name}-{digest}@{number}``: the number of the first activity
instance it keys there, which comes from the stored state the command read). So:

* the same command run again on the same stored state (its host died before the commit)
  makes the same calls with the same keys;
* different commands (another work item, other data) have different origins;
* the same command given twice, one after the other (two signals of one name), runs on
  different stored states: the second's activity instances come later in the instance;
* a command that lost a race runs again with the marks of its first run, so a call it had
  made is sent again with its key (the winner, another command, has keys of its own).

What a key cannot tell apart: two identical commands (same name, same arguments) racing on
one instance, which read the same state; the loser's calls on its second run have the
winner's keys. Identical commands at the same moment are one command sent twice far more often
than two meant apart, and the service then sees one call, as the host meant.

The digest is of one canonical JSON text of the name and the values (:func:`_canonical`):
every kind of value tagged (a tuple is not a list, bytes are not their hex text, a timedelta
is not its text, a mapping proxy is the dict it shows), dicts by sorted keys, at any depth:
different values never read alike, however deep they differ.

On the memory store (gone with its process: no command runs again on what it stored after a
crash) the origin is the engine's tag and a count of its commands, which costs nothing
(:attr:`~wfengine.runtime.engine_base.EngineBase.command_origin`).

A start (``start_process``) makes a new process instance, with a nonce of its own: run again
after a crash, it is another start, with other keys (the first one's instance was never
stored; nothing says the host meant the same one).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any


class StateOrigin(str):
    """The origin of a host's command (see the module notes), with its :attr:`marks`: per
    process instance, the number of the first activity instance the command keyed a call
    for there. Kept for every run of the command (a run after a lost race keys its calls as
    its first run did)."""

    marks: dict[str, str]

    def __new__(cls, value: str) -> StateOrigin:
        origin = super().__new__(cls, value)
        origin.marks = {}
        return origin


def origin_of(body: Callable[..., Any]) -> StateOrigin:
    """The origin of the command ``body`` carries out: the command's name (the method that
    made ``body``) and a digest of the plain values it holds (ids, names, data), read from
    ``body``'s closure (or a :func:`functools.partial`'s arguments); an object that is not a
    plain value counts by its type, so nothing that differs between processes (an address,
    a random tag) enters the digest."""
    if isinstance(body, functools.partial):  # the function it calls names it
        values: list[Any] = [list(body.args), dict(body.keywords)]
        target: Any = body.func
        name = getattr(target, "__name__", None) or type(target).__qualname__
    else:  # a closure: the method that made it names it (``complete_work_item``)
        values, target = [], body
        name = getattr(target, "__qualname__", None) or type(target).__qualname__
        name = name.split(".<locals>", 1)[0].rpartition(".")[2]
    name = name or "command"
    for cell in getattr(target, "__closure__", None) or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:  # (a cell not yet set)
            values.append(None)
    text = _quick(values)
    if text is None:  # (a value beyond the quick forms: the canonical JSON)
        try:
            canonical: Any = _canonical(values)
        except RecursionError:  # (nested deeper than any value the engine accepts, or a
            canonical = {_TAG: "too deep"}  # cycle: refused before its command made a call)
        text = "J" + _text(canonical)
    digest = hashlib.blake2b(f"{name}\x00{text}".encode(), digest_size=6).hexdigest()
    return StateOrigin(f"{name}-{digest}")


#: per type met in a command's closure: is it an object that counts by its type alone (the
#: engine, a store, a clock: none of the kinds :func:`_canonical` reads), worked out once
_OPAQUE: dict[type, bool] = {}


def _quick(values: list[Any]) -> str | None:
    """The text most commands' values have, without :func:`_canonical`'s walk and JSON dump
    (a host's command worked its origin out once per call it made, and that walk was a fifth
    of a person's step): each value tagged by kind and texts by length, so two different
    lists of values never give one text; a dict of texts to plain values by sorted keys; an
    object of a type :func:`_canonical` reads by its type alone by that type. None for any
    other value (a nested container, a date, a tuple...): the caller takes the canonical
    JSON, whose text begins ``J`` and so is never a quick one (which begins ``Q``)."""
    parts = ["Q"]
    add = parts.append
    for value in values:
        kind = type(value)
        if kind is str:
            add(f"s{len(value)}:{value}")
        elif value is None:
            add("n")
        elif kind is bool:
            add("t" if value else "f")
        elif kind is int:
            add(f"i{value}")
        elif kind is dict:
            items = []
            for key, item in value.items():
                if type(key) is not str:
                    return None
                form = _QUICK_PLAIN.get(type(item))
                if form is None and item is not None:
                    return None
                items.append((key, "n" if item is None else form(item)))  # type: ignore[misc]
            items.sort()
            add(f"d{len(items)}:" + "".join(f"{len(k)}:{k}{v};" for k, v in items))
        else:
            opaque = _OPAQUE.get(kind)
            if opaque is None:
                found = _canonical(value) if not isinstance(value, Mapping) else None
                opaque = _OPAQUE[kind] = isinstance(found, dict) and found.get(_TAG) == "object"
            if not opaque:
                return None
            add(f"o{kind.__module__}.{kind.__qualname__};")
    return "|".join(parts)


#: how :func:`_quick` writes a plain value inside a dict (by its exact type)
_QUICK_PLAIN: dict[type, Callable[[Any], str]] = {
    str: lambda v: f"s{len(v)}:{v}",
    bool: lambda v: "t" if v else "f",
    int: lambda v: f"i{v}",
    float: lambda v: f"r{v!r}",
}


#: the kinds of value that are their own canonical form
_SAME = frozenset({str, int, float, bool, type(None)})

#: what marks a tagged value (as in the stores' encoding, :mod:`~wfengine.runtime.values`)
_TAG = "$wf"


def _canonical(value: Any) -> Any:
    """``value`` as JSON data that is the same in every process and tells every two different
    values apart: JSON's own types as they are (dicts with text keys, dumped with sorted
    keys), every other kind tagged ``{"$wf": kind, "v": ...}`` (a dict holding a ``"$wf"``
    key too), anything not a plain value by its type alone. One pass, no depth cut."""
    kind = type(value)
    if kind is dict or kind is list:  # (the common containers first)
        if _json(value):  # (most: its own canonical form, dumped with no copy made)
            return value
        if kind is dict:
            return _mapping(value)
        return [v if type(v) in _SAME else _canonical(v) for v in value]
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if isinstance(value, Mapping):
        return _mapping(value)
    if isinstance(value, Enum):  # (before int and str: an IntEnum is no plain 1)
        return {_TAG: "enum", "v": f"{kind.__module__}.{kind.__qualname__}.{value.name}"}
    if isinstance(value, str):  # subclasses: their plain value
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, tuple):
        return {_TAG: "tuple", "v": [_canonical(v) for v in value]}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return {_TAG: "set", "v": sorted((_canonical(v) for v in value), key=_text)}
    if isinstance(value, bytes | bytearray):
        return {_TAG: "bytes", "v": value.hex()}
    if isinstance(value, datetime | time):
        zone = None if value.tzinfo is None else str(value.tzinfo)
        return {_TAG: kind.__name__, "v": [value.isoformat(), zone, value.fold]}
    if isinstance(value, date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, timedelta):
        return {_TAG: "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "v": str(value)}
    return {_TAG: "object", "v": f"{kind.__module__}.{kind.__qualname__}"}


def _json(value: Any) -> bool:
    """Is ``value`` its own canonical form: dicts (text keys, no ``"$wf"``), lists and plain
    values all the way down? A look without a copy: a large document of plain JSON (most
    data) costs one walk and one dump, not a canonical copy of it too."""
    kind = type(value)
    if kind is dict:
        if _TAG in value:
            return False
        for k, v in value.items():
            if type(k) is not str or (type(v) not in _SAME and not _json(v)):
                return False
        return True
    if kind is list:
        return all(type(v) in _SAME or _json(v) for v in value)
    return kind in _SAME


def _mapping(value: Mapping[Any, Any]) -> Any:
    """A mapping (a dict, a mapping proxy...) as a dict of text keys, else as sorted pairs."""
    out: dict[str, Any] = {}
    for k, v in value.items():
        if type(k) is not str:
            pairs = [[_canonical(k), _canonical(v)] for k, v in value.items()]
            return {_TAG: "map", "v": sorted(pairs, key=lambda pair: _text(pair[0]))}
        out[k] = v if type(v) in _SAME else _canonical(v)
    return {_TAG: "dict", "v": out} if _TAG in out else out


def _text(value: Any) -> str:
    """The canonical text of canonical data."""
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
