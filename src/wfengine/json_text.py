"""Strict JSON text of engine values: what every ``--json`` of the command line and the audit
trail's CSV and JSON Lines exports write, so they spell values the same way.

Datetimes, dates and times are ISO 8601 text (``2026-05-10T12:00:00+00:00``), durations ISO 8601
durations (``PT1H30M``, as the audit trail and the HTTP agents write them); sets are lists;
Decimals and anything else that JSON has no form for are their ``str``. The floats JSON has no
number for, which the engine keeps (a script may compute ``float("nan")``), are the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"``, as Protocol Buffers' JSON mapping spells them:
Python's ``json`` would write the bare literals ``NaN`` and ``Infinity``, which no strict JSON
reader takes.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, time, timedelta
from json.decoder import scanstring  # type: ignore[attr-defined]  # (typeshed omits it)
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if isinstance(value, timedelta):
        return iso_duration(value)
    return str(value)


def value_text(value: Any) -> str:
    """A data value as the plain-text views print it (``status``, ``instance show``, ``run``):
    a date, date-time, time of day or duration as the JSON of ``--json`` and the audit trail
    spells it (``2027-03-28T09:00:00+01:00``, ``PT1H``), anything else as its ``repr`` (text
    quoted, so ``'7'`` is told from ``7``). Why: those views printed Python's repr,
    ``datetime.datetime(2027, 3, 28, 9, 0, tzinfo=datetime.timezone(...))``, where every
    other output of the same value writes ISO 8601. A list, tuple or dict is walked, so
    that an array field of dates reads the same way (``[2027-01-01, PT1H]``)."""
    if isinstance(value, datetime | date | time | timedelta):
        return str(_default(value))
    if isinstance(value, list | tuple) and value:
        inner = ", ".join(value_text(v) for v in value)
        return (
            f"[{inner}]"
            if isinstance(value, list)
            else f"({inner}{',' if len(value) == 1 else ''})"
        )
    if isinstance(value, dict) and value:
        return "{" + ", ".join(f"{k!r}: {value_text(v)}" for k, v in value.items()) + "}"
    return repr(value)


def iso_duration(value: timedelta) -> str:
    """``value`` as an ISO 8601 duration of hours, minutes and seconds (``PT36H0.5S``,
    ``-PT5M``, ``PT0S``), as Java's ``Duration`` writes it: no days (ISO's day is a
    calendar day, not always 24 hours), a negative one with a leading minus (XML Schema's
    ``duration``)."""
    micros = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    sign, micros = ("-", -micros) if micros < 0 else ("", micros)
    hours, micros = divmod(micros, 3_600_000_000)
    minutes, micros = divmod(micros, 60_000_000)
    seconds, micros = divmod(micros, 1_000_000)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    if micros:
        parts.append(f"{seconds}.{micros:06d}".rstrip("0") + "S")
    elif seconds or not (hours or minutes):
        parts.append(f"{seconds}S")
    return f"{sign}PT{''.join(parts)}"


def dumps(value: Any, *, indent: int | None = None, ensure_ascii: bool = True) -> str:
    """``value`` as strict JSON text (see the module notes)."""
    try:
        return json.dumps(
            value, default=_default, indent=indent, ensure_ascii=ensure_ascii, allow_nan=False
        )
    except ValueError:  # a NaN or an infinity somewhere (rare: only then is the value walked)
        return json.dumps(
            finite(value),
            default=_default,
            indent=indent,
            ensure_ascii=ensure_ascii,
            allow_nan=False,
        )


def finite(value: Any) -> Any:
    """A copy of ``value`` with each NaN or infinite float, however deep in dicts, lists,
    tuples and sets, spelt ``"NaN"``, ``"Infinity"`` or ``"-Infinity"`` (what :func:`dumps`
    writes once the value is known to hold one)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, dict):
        return {finite(k): finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [finite(v) for v in value]
    return value


def unique_keys(pairs: list[tuple[str, Any]], error: type[ValueError]) -> dict[str, Any]:
    """``json.loads``' ``object_pairs_hook`` refusing a key written twice in one object (an
    ``error`` saying so): JSON readers keep only the last, so a file's first value was
    silently lost (an organisation's first ``users``, a run step's first ``set``)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise error(
                f"{key!r} is written twice in one object; JSON readers keep only the last: "
                "give it once"
            )
        found[key] = value
    return found


#: a JSON text's tokens that matter for its keys' places: a string (whole, escapes and all)
#: or a structural character
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]')  # (unrolled: a run at a time)


def repeated_key_lines(text: str) -> tuple[str, int, int] | None:
    """The key :func:`unique_keys` refuses in JSON ``text`` (the first ``json.loads`` meets:
    that of the first object to close with a key written twice), with the line it is first
    written on and the line of its repeat; None when no key is repeated.

    Why a second reading: ``object_pairs_hook`` is given an object's keys without their
    places, so the refusal could not say where the repeat is, and in a long file (an
    organisation's ``"id"`` written twice in one user) that is what the reader needs. Only
    a text already refused is read again, up to the object refused."""
    objects: list[dict[str, int] | None] = []  # each open object's keys (None: a list)
    repeats: list[tuple[str, int, int] | None] = []  # each open object's first repeat
    key_next = False
    line, counted = 1, 0  # the line at ``counted``
    for token in _TOKEN.finditer(text):  # (one C-level walk: a 16 MiB file took 10 s by chars)
        at = token.start()
        char = text[at]
        if char == '"':
            keys = objects[-1] if key_next else None
            if keys is not None:  # (a JSON text's strings hold no raw line break)
                line += text.count("\n", counted, at)
                counted = at
                value = scanstring(text, at + 1)[0]
                if value in keys and repeats[-1] is None:
                    repeats[-1] = (value, keys[value], line)
                keys.setdefault(value, line)
            key_next = False
        elif char in "{[":
            objects.append({} if char == "{" else None)
            repeats.append(None)
            key_next = char == "{"
        elif char in "}]":
            if objects:
                objects.pop()
                found = repeats.pop()
                if found is not None:  # (json.loads' hook refuses it as this object closes)
                    return found
        elif char == ",":
            key_next = bool(objects) and objects[-1] is not None
        else:  # ':'
            key_next = False
    return None
