"""In Java and JavaScript a boolean equals no number (``0 === false`` is false), in ``==`` and
in every search of a value in a list: ``indexOf``, ``lastIndexOf``, ``includes``,
``contains`` and ``in``. The native language keeps Python's ``True == 1``."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA

ROWS: list[tuple[Dialect, str, dict[str, Any], Any]] = [
    (JS, "flags.indexOf(1)", {"flags": [True, False]}, -1),
    (JS, "flags.indexOf(true)", {"flags": [1, True]}, 1),
    (JS, "flags.lastIndexOf(0)", {"flags": [0, False]}, 0),
    (JS, "flags.includes(1)", {"flags": [True]}, False),
    (JS, "scores.includes(true)", {"scores": [1, 2]}, False),
    (JS, "scores.includes(2.0)", {"scores": [1, 2]}, True),
    (JS, "1 in flags", {"flags": [True]}, False),
    (JS, "1 in [true, false]", {}, False),
    (JS, "true in [1, 0]", {}, False),
    (JS, "true in [1, true]", {}, True),
    (JS, "0 in flags", {"flags": (False,)}, False),
    (JS, "1 not in flags", {"flags": [True]}, True),
    (JS, "x in {1, 2}", {"x": True}, False),
    (JS, "x in record", {"x": True, "record": {1: "a"}}, False),
    (JS, "x in record", {"x": 1, "record": {1: "a"}}, True),
    (JS, "'b' in word", {"word": "abc"}, True),
    (JS, "x.includes(y)", {"x": [float("nan")], "y": float("nan")}, True),
    (JAVA, "scores.contains(true)", {"scores": [1, 2]}, False),
    (JAVA, "flags.contains(false)", {"flags": [0, False]}, True),
    (JAVA, "flags.indexOf(0)", {"flags": [False, 0]}, 1),
    (Dialect.NATIVE, "1 in flags", {"flags": [True]}, True),  # Python's equality
    # at every depth (Python's own list and dict comparison made [true] equal [1])
    (JS, "flags == [1, 0]", {"flags": [True, False]}, False),
    (JS, "flags == [true, false]", {"flags": [True, False]}, True),
    (JS, "rec == other", {"rec": {"ok": True}, "other": {"ok": 1}}, False),
    (JS, "rows.indexOf([1])", {"rows": [[True]]}, -1),
    (JS, "rows.indexOf([1.0])", {"rows": [[1]]}, 0),
    (JAVA, "rows.contains([1])", {"rows": [[True]]}, False),
    (Dialect.NATIVE, "flags == [1, 0]", {"flags": [True, False]}, True),
]


@pytest.mark.parametrize(("dialect", "text", "variables", "result"), ROWS)
def test_a_boolean_equals_no_number_in_a_search(
    dialect: Dialect, text: str, variables: dict[str, Any], result: Any
) -> None:
    assert parse(text, dialect=dialect).evaluate(variables) == result
