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

A start (``start_process``) makes a new process instance, with a nonce of its own: run again
after a crash, it is another start, with other keys (the first one's instance was never
stored; nothing says the host meant the same one).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime, time
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
    text = json.dumps([name, _plain(values, 0)], ensure_ascii=True)
    digest = hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
    return StateOrigin(f"{name}-{digest}")


#: how deep nested values are read (deeper ones count by their type)
_DEPTH = 8


def _plain(value: object, depth: int) -> object:
    """A JSON form of ``value`` that is the same in every process: plain values as they
    are, containers in a fixed order, anything else by its type."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if depth >= _DEPTH:
        return f"<{type(value).__qualname__}>"
    if isinstance(value, Enum):
        return f"{type(value).__qualname__}.{value.name}"
    if isinstance(value, datetime | date | time | Decimal):
        return f"{type(value).__qualname__}:{value}"
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | tuple):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v, depth + 1) for v in value), key=_text)
    if isinstance(value, dict):
        pairs = [[_plain(k, depth + 1), _plain(v, depth + 1)] for k, v in value.items()]
        return sorted(pairs, key=_text)
    return f"<{type(value).__qualname__}>"


def _text(value: object) -> str:
    return json.dumps(value, ensure_ascii=True)
