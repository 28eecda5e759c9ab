"""A script statement sees what the statements before it assigned as their fields will hold
it: each value is converted to its field's type as its statement runs. Before, a FLOAT ``x``
assigned 7 was the integer 7 to the next Java statement (``x / 2`` gave 3.0, 3.5 when 7 came
from the data), and an INTEGER ``n = '5'`` was the text '5' to ``n + 1`` (an incident), though
either value alone was stored converted."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock


def _run(
    script: str, language: str | None, fields: dict[str, str], data: dict[str, Any] | None = None
) -> tuple[ProcessState, dict[str, Any], list[str]]:
    pb = PackageBuilder("pkg", script=language)
    p = pb.process("main")
    for name, kind in fields.items():
        p.data_field(name, kind)
    p.activity("calc", script=script)
    with Engine(clock=VirtualClock(datetime(2030, 1, 1, tzinfo=UTC))) as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("main", data)
        inst = engine.instance(iid)
        return inst.state, dict(inst.data), [i.message for i in engine.incidents(iid)]


FLOATS = {"x": "FLOAT", "half": "FLOAT", "s": "STRING"}


@pytest.mark.parametrize(
    ("script", "data"),
    [("x = 7; half = x / 2; s = 'x=' + x", None), ("half = x / 2; s = 'x=' + x", {"x": 7})],
)
def test_a_later_java_statement_sees_the_float_the_field_holds(
    script: str, data: dict[str, Any] | None
) -> None:
    state, values, incidents = _run(script, "java", FLOATS, data)
    assert (state, incidents) == (ProcessState.COMPLETED, [])
    assert values == {"x": 7.0, "half": 3.5, "s": "x=7.0"}


def test_a_text_assigned_to_an_integer_is_a_number_to_the_next_statement() -> None:
    state, values, incidents = _run("n = '5'; m = n + 1", None, {"n": "INTEGER", "m": "INTEGER"})
    assert (state, incidents) == (ProcessState.COMPLETED, [])
    assert (values["n"], values["m"]) == (5, 6)


def test_a_date_text_is_a_date_to_the_next_statement() -> None:
    fields = {"d": "DATE", "early": "BOOLEAN"}
    state, values, incidents = _run("d = '2030-01-05'; early = d < today()", None, fields)
    assert (state, incidents) == (ProcessState.COMPLETED, [])  # today: 2030-01-01
    assert (values["d"], values["early"]) == (date(2030, 1, 5), False)


def test_a_value_its_field_does_not_take_still_assigns_nothing() -> None:
    fields = {"n": "INTEGER", "m": "INTEGER"}
    state, values, incidents = _run("m = 1; n = 'many'; m = 2", None, fields)
    assert state is ProcessState.RUNNING and values == {"n": None, "m": None}
    [incident] = incidents
    assert "data field 'n'" in incident
