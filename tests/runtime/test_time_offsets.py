"""Two TIME fields, one given with an offset (``08:30Z``, ``09:00+01:00``) and one without
(``09:00``): ``now_t < opens`` was an incident quoting Python's "can't compare offset-naive
and offset-aware times", and ``now_t == opens`` silently false. A TIME keeps the offset it is
given, or none (as every earlier wfengine kept it: reading one without as UTC made the values
earlier releases stored meet new ones in every container, ``min`` and ``in``); comparing one
with an offset against one without is an incident naming both operands and what to write,
on every store."""

from __future__ import annotations

from datetime import time, timedelta, timezone
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse
from wfengine.runtime.engine import Engine


def _package(script: str = "early = now_t < opens; same = now_t == opens") -> Any:
    """A process that waits for a person, then runs ``script`` over two TIME fields."""
    pb = PackageBuilder("pk")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("opens", "TIME")
    p.data_field("now_t", "TIME")
    p.data_field("early", "BOOLEAN")
    p.data_field("same", "BOOLEAN")
    p.start("s0")
    p.activity("wait", performer="clerk")
    p.activity("compare", script=script)
    p.end("e0")
    p.sequence("s0", "wait", "compare", "e0")
    return pb.build()


def _compared(engine: Engine, iid: str) -> dict[str, Any]:
    [item] = [w for w in engine.work_items() if w.instance_id == iid]
    engine.complete_work_item(item.id)
    return engine.instance(iid).data


@pytest.mark.parametrize(
    ("opens", "now_t", "early", "same"),
    [
        ("09:00", "08:30", True, False),
        ("09:00+01:00", "08:30Z", False, False),  # 09:00+01:00 is 08:00 UTC
        ("09:00Z", "09:00+00:00", False, True),
    ],
)
def test_times_both_with_or_both_without_an_offset_compare(
    engine: Engine, opens: str, now_t: str, early: bool, same: bool
) -> None:
    engine.deploy(_package())
    iid = engine.start_process("main", {"opens": opens, "now_t": now_t})
    data = _compared(engine, iid)
    assert engine.incidents() == []
    assert (data["early"], data["same"]) == (early, same)


@pytest.mark.parametrize("script", ["early = now_t < opens", "same = now_t == opens"])
def test_one_with_an_offset_against_one_without_is_an_incident_naming_both(
    engine: Engine, script: str
) -> None:
    engine.deploy(_package(script))
    iid = engine.start_process("main", {"now_t": "08:30+02:00", "opens": "09:00"})
    _compared(engine, iid)
    [incident] = engine.incidents()
    message = incident.message
    assert "now_t" in message and "opens" in message
    assert "now_t is a time of day with an offset and opens one without" in message
    assert "give both with an offset (e.g. '09:00Z' for UTC) or both without" in message
    assert "offset-naive" not in message


@pytest.mark.parametrize(
    ("dialect", "text", "words"),
    [
        (Dialect.NATIVE, "a < b", "'<' in Python cannot order a against b"),
        (Dialect.NATIVE, "b != a", "'!=' in Python cannot compare b with a"),
        (Dialect.JAVASCRIPT, "a >= b", "'>=' in JavaScript cannot order a against b"),
        (Dialect.JAVA, "a == b", "'==' in Java cannot compare a with b"),
    ],
)
def test_each_language_names_the_operands(dialect: Dialect, text: str, words: str) -> None:
    values = {"a": time(8, 30, tzinfo=timezone(timedelta(hours=1))), "b": time(9, 0)}
    with pytest.raises(ExpressionEvaluationError) as raised:
        parse(text, dialect=dialect).evaluate(values)
    assert words in raised.value.message
    assert "b one without" in raised.value.message


def test_two_times_without_an_offset_still_compare() -> None:
    assert parse("a < b").evaluate({"a": time(8, 30), "b": time(9, 0)}) is True


def test_a_time_given_without_an_offset_is_kept_without_one(engine: Engine) -> None:
    engine.deploy(_package())
    iid = engine.start_process("main", {"opens": "09:00", "now_t": time(8, 30)})
    data = engine.instance(iid).data
    assert data["opens"] == time(9, 0) and data["opens"].utcoffset() is None
    assert data["now_t"] == time(8, 30)
