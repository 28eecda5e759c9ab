"""Java's ``c ? a : b`` with an int branch and a double branch is a double whichever branch is
taken (binary numeric promotion, JLS 15.25): ``(vip ? 10 : 7.5) / 4`` is 2.5 and ``"rate=" +
(vip ? 10 : 7.5)`` is ``rate=10.0``. The Java dialect kept the int, so it divided as integers
(2) and printed ``rate=10``. Now an int branch is widened where the other branch is known to
be a double before evaluation (a literal, ``Math.floor``, ``Double.parseDouble``, arithmetic
or a conditional with one); two fields' types are not known then, so the branch taken gives
its value as it is. JavaScript, whose numbers are all doubles, is unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.expressions import Dialect, parse

JAVA = Dialect.JAVA


def _java(text: str, **values: Any) -> Any:
    return parse(text, dialect=JAVA).evaluate(values)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(vip ? 10 : 7.5) / 4", 2.5),
        ('"rate=" + (vip ? 10 : 7.5)', "rate=10.0"),
        ("(vip ? n : 2.5) / 4", 2.5),
        ("(vip ? Integer.parseInt(s) : 0.5) / 2", 3.5),
        ("!vip ? 7.5 : 10", 10.0),
        ("vip ? 10 : Math.floor(x)", 10.0),
        ("vip ? 10 : Double.parseDouble(s)", 10.0),
        ("vip ? 3 : x * 2.0", 3.0),
        ("vip ? 1 : (other ? 2.5 : 3)", 1.0),
        ("vip ? (other ? 1 : 2) : 2.5", 1.0),
    ],
)
def test_an_int_branch_beside_a_double_one_is_a_double(text: str, expected: Any) -> None:
    result = _java(text, vip=True, other=True, n=10, s="7", x=2.5)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vip ? 1 : 2", 1),  # two ints stay an int
        ("vip ? n : x", 10),  # neither type known before evaluation: the value as it is
        ('vip ? "ten" : 2.5', "ten"),  # not numbers: no promotion
        ('"v=" + (vip ? true : 2.5)', "v=true"),
    ],
)
def test_other_conditionals_give_the_branch_taken_as_it_is(text: str, expected: Any) -> None:
    result = _java(text, vip=True, n=10, x=2.5)
    assert result == expected and type(result) is type(expected)


def test_javascript_is_unchanged() -> None:
    result = parse("(vip ? 10 : 7.5) / 4", dialect=Dialect.JAVASCRIPT).evaluate({"vip": True})
    assert result == 2.5
    text = parse('"rate=" + (vip ? 10 : 7.5)', dialect=Dialect.JAVASCRIPT)
    assert text.evaluate({"vip": True}) == "rate=10"


def test_a_fee_worked_out_with_a_conditional_takes_the_java_way() -> None:
    builder = PackageBuilder("p", script="java")
    process = builder.process("proc")
    process.data_field("vip", "BOOLEAN")
    process.data_field("fee", "FLOAT")
    process.start("s")
    process.activity("calc", script="fee = (vip ? 10 : 7.5) / 4")
    process.route("r", gateway="Exclusive")
    process.activity("review")
    process.activity("auto")
    process.end("e1")
    process.end("e2")
    process.sequence("s", "calc", "r")
    process.transition("r", "review", condition="(vip ? 10 : 7.5) / 4 > 2")
    process.transition("r", "auto", otherwise=True)
    process.sequence("review", "e1")
    process.sequence("auto", "e2")
    engine = Engine(clock=VirtualClock())
    engine.deploy(builder.build())
    instance_id = engine.start_process("proc", {"vip": True})
    assert engine.instance(instance_id).data["fee"] == 2.5
    assert "review" in engine.trace(instance_id)
