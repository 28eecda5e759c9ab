"""A PostgreSQL batch's statement as libpq takes it (:mod:`~wfengine.runtime.sql.pipeline`):
its parameters numbered, and each value in the format it goes in.

Why times go in binary: psycopg's text form of an aware datetime cost the client about 2.3 us
a value (its binary form 0.4 us), and the server parses the text again (``timestamptz_in``),
where it only copies the binary's eight bytes; a command writes about twenty times. Every
other value goes as text, as psycopg's cursor sends it with the server working out its type
from the statement (a binary value must be of exactly the type the server gives the
parameter: an integer's width, say, it would not convert).

A parameter goes in binary only where the statement casts it to ``TIMESTAMP WITH TIME ZONE``
(so the server gives it that type) and its value is an aware datetime (psycopg dumps it as a
``timestamptz``, 1184, the instant in UTC: the value the text's offset gave); any other value
there (a naive datetime, a string, a number) sends the row as text, as before.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

#: a format-style parameter (``%s``) or an escaped percent sign (``%%``)
_FORMAT = re.compile(r"%[s%]")
#: what follows a parameter that goes in binary
_TIME_CAST = "::TIMESTAMP WITH TIME ZONE"
#: the type psycopg gives an aware datetime (binary: microseconds since 2000, UTC)
_TIMESTAMPTZ = 1184


def numbered(sql: str) -> str:
    """``sql`` with psycopg's ``%s`` parameters as libpq's ``$1, $2...`` (and ``%%`` as
    ``%``)."""
    counter = itertools.count(1)
    return _FORMAT.sub(lambda m: "%" if m.group() == "%%" else f"${next(counter)}", sql)


class Formats:
    """How one statement's parameters go: ``text`` (every one as text), ``mixed`` (the times
    in binary) and the positions of those times, worked out once per SQL text. The formats
    are psycopg's, given by the caller (only the dialect's modules import psycopg)."""

    __slots__ = ("binary", "mixed", "text")

    def __init__(self, sql: str, text: Any, binary: Any) -> None:
        times: list[int] = []
        count = 0
        for found in _FORMAT.finditer(sql):
            if found.group() == "%s":
                if sql.startswith(_TIME_CAST, found.end()):
                    times.append(count)
                count += 1
        self.text = [text] * count
        self.mixed = [binary if n in times else text for n in range(count)]
        #: the positions of the parameters that may go in binary
        self.binary = tuple(times)

    def times_only(self, row: Sequence[Any], types: Sequence[int]) -> bool:
        """Whether each value ``row`` has at a binary position is None or was dumped as a
        ``timestamptz`` (``types``: psycopg's types of the dumped ``row``)."""
        return all(types[n] == _TIMESTAMPTZ or row[n] is None for n in self.binary)


_KNOWN: dict[str, Formats] = {}


def formats(sql: str, text: Any, binary: Any) -> Formats:
    """The :class:`Formats` of ``sql`` (psycopg's format style), with psycopg's ``text`` and
    ``binary`` formats (the same on every call)."""
    found = _KNOWN.get(sql)
    if found is None:
        found = _KNOWN[sql] = Formats(sql, text, binary)
    return found
