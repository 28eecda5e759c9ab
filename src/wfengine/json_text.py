"""Strict JSON text of engine values: what every ``--json`` of the command line and the audit
trail's CSV and JSON Lines exports write, so they spell values the same way.

Datetimes, dates and times are ISO 8601 text (``2026-05-10T12:00:00+00:00``); sets are lists;
Decimals and anything else that JSON has no form for are their ``str``. The floats JSON has no
number for, which the engine keeps (a script may compute ``float("nan")``), are the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"``, as Protocol Buffers' JSON mapping spells them:
Python's ``json`` would write the bare literals ``NaN`` and ``Infinity``, which no strict JSON
reader takes.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


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
