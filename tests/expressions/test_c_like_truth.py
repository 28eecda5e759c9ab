"""JavaScript's and Java's truth test in the C-like dialects: ``NaN``, ``null``, ``0``, ``''``
and ``false`` are false; lists and records, empty or not, are true. The native language keeps
Python's ``bool``. Definitions written for a JavaScript engine rely on it: the readers give NaN
where there is no number so that ``parseFloat(x) || 0`` takes its default."""

from __future__ import annotations

import math
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock
from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT
JAVA = Dialect.JAVA
NAN = float("nan")

ROWS: list[tuple[Dialect, str, dict[str, Any], Any]] = [
    (JS, "parseFloat(discount) || 0", {"discount": "n/a"}, 0),
    (JS, "parseFloat(discount) || 0", {"discount": "2.5"}, 2.5),
    (JS, "parseInt(qty) || 1", {"qty": ""}, 1),
    (JS, "!parseInt(code)", {"code": "abc"}, True),
    (JS, "!x", {"x": NAN}, True),
    (JS, "!x", {"x": []}, False),
    (JS, "!x", {"x": ""}, True),
    (JS, "!x", {"x": "0"}, False),
    (JS, "Boolean(x)", {"x": NAN}, False),
    (JS, "Boolean(x)", {"x": {}}, True),
    (JS, "Boolean(x)", {"x": []}, True),
    (JS, "Boolean(x)", {"x": -0.0}, False),
    (JS, "Boolean(x)", {"x": None}, False),
    (JS, "items ? 'some' : 'none'", {"items": []}, "some"),
    (JS, "x ? 'some' : 'none'", {"x": NAN}, "none"),
    (JS, "items && items.length", {"items": []}, 0),
    (JS, "a && b && c", {"a": [], "b": {}, "c": NAN}, NAN),
    (JS, "a || b || c", {"a": NAN, "b": 0, "c": []}, []),
    (JS, "a || b || c", {"a": "", "b": None, "c": 0}, 0),
    (JS, "a && b", {"a": True, "b": False}, False),
    (JAVA, "!x", {"x": NAN}, True),
    (JAVA, "x ? 1 : 2", {"x": []}, 1),
    (JAVA, "a || b", {"a": False, "b": True}, True),
    (Dialect.NATIVE, "x or 0", {"x": NAN}, NAN),  # the native language keeps Python's bool
    (Dialect.NATIVE, "'some' if items else 'none'", {"items": []}, "none"),
]


@pytest.mark.parametrize(("dialect", "text", "variables", "result"), ROWS)
def test_truth_as_the_language_tests_it(
    dialect: Dialect, text: str, variables: dict[str, Any], result: Any
) -> None:
    got = parse(text, dialect=dialect).evaluate(variables)
    if isinstance(result, float) and math.isnan(result):
        assert isinstance(got, float) and math.isnan(got)
    else:
        assert got == result and type(got) is type(result)


def test_a_condition_holds_as_its_dialect_tests_its_value() -> None:
    assert not parse("parseFloat(x)", dialect=JS).holds({"x": "n/a"})
    assert parse("items", dialect=JS).holds({"items": []})
    assert parse("items", dialect=JAVA).holds({"items": {}})
    assert not parse("items", dialect=Dialect.NATIVE).holds({"items": []})
    assert parse("x", dialect=Dialect.NATIVE).holds({"x": NAN})


def test_a_script_default_after_a_failed_number_reading_is_the_default() -> None:
    pb = PackageBuilder("pkg", script="text/javascript")
    p = pb.process("main")
    p.data_field("rate", "FLOAT").data_field("rate_text", "STRING", initial="n/a")
    p.activity("calc", script="rate = parseFloat(rate_text) || 0").activity("after")
    p.transition("calc", "after")
    engine = Engine(clock=VirtualClock())
    engine.deploy(pb.build())
    iid = engine.start_process("main", {})
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED
    assert inst.data["rate"] == 0
