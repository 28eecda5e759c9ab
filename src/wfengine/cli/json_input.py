"""JSON the user hands the command line (``--set`` values, ``--answers`` files), parsed safely.

Python's ``json`` module recurses once per nesting level, so a value such as ``[[[[...]]]]``
100,000 levels deep ends in a ``RecursionError`` traceback; and an integer longer than Python's
digit limit (4,300 digits) raises a plain ``ValueError`` that callers mistook for "not JSON"
and kept as a string. Both are refused here with a message that says why, before or instead of
``json.loads`` failing obscurely:

* nesting deeper than :data:`MAX_JSON_DEPTH` levels of arrays and objects;
* numbers that do not fit: integers beyond the digit limit, floats that overflow to infinity,
  and the non-standard ``NaN``/``Infinity`` literals.

Text that simply is not JSON still raises :class:`json.JSONDecodeError`, so a caller can fall
back to taking it as a string.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

#: how deeply arrays and objects may nest in a value given on the command line; deeper data is
#: not a realistic initial value, and the engine's own recursion stays far from Python's limit
MAX_JSON_DEPTH = 64

#: a JSON string (skipped, so brackets inside it do not count) or a bracket
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


class JsonLimitError(ValueError):
    """The text is JSON, but beyond what the command line accepts (see the module notes)."""


class JsonTooDeep(JsonLimitError):
    """Arrays and objects nest deeper than allowed."""


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
        return int(text)
    except ValueError:  # more digits than sys.get_int_max_str_digits() allows
        raise JsonLimitError(f"the number {_abbreviated(text)} has too many digits") from None


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonLimitError(f"the number {_abbreviated(text)} is too large")
    return value


def _constant(name: str) -> Any:
    raise JsonLimitError(f"{name} is not a JSON number")


def _abbreviated(text: str) -> str:
    return text if len(text) <= 20 else f"{text[:10]}...({len(text)} characters)"


def loads(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``text`` parsed as JSON within the limits above.

    Raises :class:`JsonLimitError` for text that is JSON but too deep or with numbers that do
    not fit, and :class:`json.JSONDecodeError` for text that is not JSON.
    """
    depth = nesting_depth(text)
    if depth > max_depth:
        raise JsonTooDeep(f"JSON nested {depth} levels deep (at most {max_depth} allowed)")
    return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
