"""JSON the user hands the command line (``--set`` values, ``--answers`` files), parsed safely.

Python's ``json`` module recurses once per nesting level, so a value such as ``[[[[...]]]]``
100,000 levels deep ends in a ``RecursionError`` traceback; and an integer longer than Python's
digit limit (4,300 digits) raises a plain ``ValueError`` that callers mistook for "not JSON"
and kept as a string. Both are refused here with a message that says why, before or instead of
``json.loads`` failing obscurely:

* nesting deeper than :data:`MAX_JSON_DEPTH` levels of arrays and objects;
* numbers that do not fit: integers wider than instance data holds
  (:data:`~wfengine.runtime.values.MAX_INT_BITS`, 4,096 bits: about 1,233 digits, fewer than
  Python's own 4,300-digit limit), floats that overflow to infinity, and the non-standard
  ``NaN``/``Infinity`` literals;
* a key written twice in one object (:class:`JsonDuplicateKey`): JSON readers keep only the
  last, so a script step's first ``"set"`` or an activity's first list of answers was dropped
  without a word (``org load`` refuses the same mistake in the same words).

A value the command line builds from text by a declared type (``--set days=...`` into an
INTEGER) is not JSON; :func:`storable` checks it against what the engine stores
(:func:`wfengine.runtime.values.check_storable`), so a value the instance could not hold is
refused before anything runs, not half-way through a run.

Text that simply is not JSON still raises :class:`json.JSONDecodeError`, so a caller can fall
back to taking it as a string.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from functools import partial
from typing import Any

from wfengine.json_text import repeated_key_lines, unique_keys
from wfengine.one_line import shortened
from wfengine.runtime.values import MAX_INT_BITS

#: how deeply arrays and objects may nest in a value given on the command line; deeper data is
#: not a realistic initial value, and the engine's own recursion stays far from Python's limit
MAX_JSON_DEPTH = 64

#: a JSON string (skipped, so brackets inside it do not count) or a bracket
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


class JsonLimitError(ValueError):
    """The text is JSON, but beyond what the command line accepts (see the module notes)."""


class JsonTooDeep(JsonLimitError):
    """Arrays and objects nest deeper than allowed."""


class JsonDuplicateKey(JsonLimitError):
    """A key is written twice in one object."""


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text``, counted without parsing it
    (brackets inside strings do not count), so the count itself cannot recurse."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def _int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:  # more digits than sys.get_int_max_str_digits() allows
        raise too_wide(text) from None
    if value.bit_length() > MAX_INT_BITS:
        raise too_wide(text)
    return value


def too_wide(text: str) -> JsonLimitError:
    """The error for the integer ``text``, wider than instance data holds."""
    return JsonLimitError(
        f"the number {shortened(text)} has too many digits (integers may be at most "
        f"{MAX_INT_BITS} bits wide, about 1,233 digits)"
    )


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonLimitError(f"the number {shortened(text)} is too large")
    return value


def _constant(name: str) -> Any:
    raise JsonLimitError(f"{name} is not a JSON number")


def loads(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``text`` parsed as JSON within the limits above.

    Raises :class:`JsonLimitError` for text that is JSON but too deep, with numbers that do
    not fit or with a key written twice in one object, and :class:`json.JSONDecodeError` for
    text that is not JSON.
    """
    depth = nesting_depth(text)
    if depth > max_depth:
        raise JsonTooDeep(f"JSON nested {depth} levels deep (at most {max_depth} allowed)")
    try:
        return json.loads(
            text,
            parse_int=_int,
            parse_float=_float,
            parse_constant=_constant,
            object_pairs_hook=partial(unique_keys, error=JsonDuplicateKey),
        )
    except JsonDuplicateKey as exc:  # where, as org load says it (a long --script file)
        found = repeated_key_lines(text)
        if found is None or "\n" not in text:
            raise
        key, first, again = found
        raise JsonDuplicateKey(
            f"{key!r} is written twice in one object (line {again}; first on line {first}); "
            "JSON readers keep only the last: give it once"
        ) from exc


def storable(value: Any) -> Any:
    """``value`` itself when instance data can hold it (as
    :func:`wfengine.runtime.values.check_storable` judges); else :class:`JsonLimitError`
    saying why, so a value is refused before anything runs rather than when the engine
    stores it."""
    from wfengine.errors import DataNotStorableError
    from wfengine.runtime.values import check_storable

    wide = _wide_integer(value, 0)
    if wide is not None:
        try:
            text = str(wide)
        except ValueError:  # beyond Python's digit limit for text
            text = f"of {wide.bit_length()} bits"
        raise too_wide(text)
    try:
        check_storable({"value": value}, "the value")
    except DataNotStorableError as exc:
        raise JsonLimitError(f"instance data cannot hold it ({exc})") from None
    return value


def _wide_integer(value: Any, depth: int) -> int | None:
    """The first integer in ``value`` wider than instance data holds, or None (containers
    nested too deep are left to ``check_storable``)."""
    if type(value) is int:
        return value if value.bit_length() > MAX_INT_BITS else None
    if depth > MAX_JSON_DEPTH:
        return None
    items = value.values() if isinstance(value, Mapping) else value
    if isinstance(value, list | tuple | Mapping):
        for item in items:
            found = _wide_integer(item, depth + 1)
            if found is not None:
                return found
    return None
