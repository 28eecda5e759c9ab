"""A duration or a decimal the host stores (``engine.set_data``; a script's ``due - now()``
is a timedelta) was written in the audit trail and its exports as Python's repr
(``datetime.timedelta(seconds=5400)``, ``Decimal('12.50')``). A duration is now the ISO 8601
duration the agents send (``PT1H30M``), a finite decimal its text, and a NaN or infinite one
as a float's, on every store."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from wfengine import write_csv, write_jsonl
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def _assigned(engine: Engine, values: dict[str, Any]) -> dict[str, Any]:
    """The ``before``/``after`` pairs the trail records for ``set_data(values)``."""
    pb = PackageBuilder("pk")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("a", performer="clerk")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    engine.set_data(iid, values)
    [event] = [ev for ev in engine.audit(iid) if ev.kind == "instance.data"]
    assert event.detail is not None
    found: dict[str, Any] = event.detail["values"]
    return found


def test_a_duration_and_a_decimal_read_as_the_agents_write_them(engine: Engine) -> None:
    shown = _assigned(
        engine,
        {
            "wait": timedelta(hours=1, minutes=30),
            "back": timedelta(seconds=-90),
            "amount": Decimal("12.50"),
            "rows": [Decimal("1E+3"), timedelta(days=1, microseconds=500_000)],
        },
    )
    assert shown["wait"] == [None, "PT1H30M"]
    assert shown["back"] == [None, "-PT1M30S"]
    assert shown["amount"] == [None, "12.50"]
    assert shown["rows"] == [None, ["1E+3", "PT24H0.5S"]]


@pytest.mark.parametrize(
    ("value", "written"),
    [(Decimal("NaN"), "NaN"), (Decimal("Infinity"), "Infinity"), (Decimal("-Inf"), "-Infinity")],
)
def test_a_decimal_with_no_number_is_written_as_a_floats(
    engine: Engine, value: Decimal, written: str
) -> None:
    [before, after] = _assigned(engine, {"amount": value})["amount"]
    assert before is None and isinstance(after, float)
    assert (math.isnan(after) and written == "NaN") or after == float(written)
    lines = io.StringIO()
    write_jsonl(engine.audit_events(), lines)
    [line] = [json.loads(x) for x in lines.getvalue().splitlines() if "instance.data" in x]
    assert line["detail"]["values"]["amount"] == [None, written]


def test_the_exports_write_them_so(engine: Engine) -> None:
    _assigned(engine, {"wait": timedelta(hours=2), "amount": Decimal("0.10")})
    lines, table = io.StringIO(), io.StringIO()
    write_jsonl(engine.audit_events(), lines)
    write_csv(engine.audit_events(), table)
    [line] = [json.loads(x) for x in lines.getvalue().splitlines() if "instance.data" in x]
    expected = {"wait": [None, "PT2H"], "amount": [None, "0.10"]}
    assert line["detail"]["values"] == expected
    [row] = [
        r for r in csv.DictReader(io.StringIO(table.getvalue())) if r["kind"] == "instance.data"
    ]
    assert json.loads(row["detail"])["values"] == expected
    assert "datetime.timedelta" not in table.getvalue() + lines.getvalue()
