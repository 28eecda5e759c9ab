"""``--set NAME=VALUE`` of ``run`` and ``instance start``: checked against the declarations,
converted to the declared types (issue 9, item 6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import EnumerationType
from wfengine.runtime.engine import Engine


def _typed(tmp_path: Path) -> str:
    pb = PackageBuilder("pkg")
    pb.type_declaration("Money", "FLOAT")
    pb.type_declaration("Colour", EnumerationType(values=("red", "green")))
    pb.data_field("tenant", "STRING")  # a package-level field
    p = pb.process("main", params=[("customer", "IN", "STRING")])
    p.data_field("amount", "FLOAT", name="Amount")
    p.data_field("days", "INTEGER", name="Days")
    p.data_field("urgent", "BOOLEAN")
    p.data_field("due", "DATE")
    p.data_field("at", "DATETIME")
    p.data_field("zip", "STRING")
    p.data_field("price", "Money")
    p.data_field("colour", "Colour")
    p.data_field("counts", "INTEGER", is_array=True)
    p.data_field("x7", "STRING", name="Days")  # a second field Named "Days"
    p.activity("only")
    return write(tmp_path, pb)


def _run(xpdl: str, *sets: str, extra: tuple[str, ...] = ()) -> Result:
    args = [a for s in sets for a in ("--set", s)]
    return cli("run", xpdl, *args, *extra, "--json")


def _data(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)["data"]
    return data


def test_values_take_the_declared_types(tmp_path: Path) -> None:
    data = _data(
        _run(
            _typed(tmp_path),
            "amount=10",
            "days=3",
            "urgent=true",
            "due=2026-05-10",
            "at=2026-05-10T12:30:00+00:00",
            "zip=01234",
            "price=2",
            "colour=red",
            "counts=[1, 2.0]",
            'customer={"looks": "like JSON"}',
            "tenant=acme",
        )
    )
    assert data["amount"] == 10.0 and isinstance(data["amount"], float)
    assert data["days"] == 3 and data["urgent"] is True
    assert data["due"] == "2026-05-10" and data["at"] == "2026-05-10T12:30:00+00:00"
    assert data["zip"] == "01234"  # a STRING keeps the text, even when it looks like a number
    assert data["customer"] == '{"looks": "like JSON"}'
    assert data["price"] == 2.0 and data["colour"] == "red" and data["counts"] == [1, 2]
    assert data["tenant"] == "acme"


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("days=abc", "data field 'days' (INTEGER): expected INTEGER, got str 'abc'"),
        ("amount=ten", "data field 'amount' (FLOAT)"),
        ("amount=1e999", "expected a finite FLOAT"),
        ("urgent=yes", "expected BOOLEAN"),
        ("due=10/05/2026", "expected DATE"),
        ("colour=blue", "expected one of red, green"),
        ("counts=3", "expected a JSON list"),
        ('counts=[1, "x"]', "expected INTEGER"),
    ],
)
def test_a_value_that_does_not_fit_its_type_is_a_usage_error(
    tmp_path: Path, assignment: str, message: str
) -> None:
    result = _run(_typed(tmp_path), assignment)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "--set" in result.stderr


def test_an_undeclared_name_is_refused_naming_the_declared_ones(tmp_path: Path) -> None:
    result = _run(_typed(tmp_path), "amout=10")
    assert result.exit_code == 2
    assert "'amout' is not declared by process 'main'" in result.stderr
    assert "amount (Name Amount)" in result.stderr and "customer" in result.stderr
    assert "--allow-undeclared" in result.stderr


def test_allow_undeclared_takes_json_or_text(tmp_path: Path) -> None:
    data = _data(_run(_typed(tmp_path), "extra=[1]", "note=a b", extra=("--allow-undeclared",)))
    assert data["extra"] == [1] and data["note"] == "a b"


def test_a_name_is_accepted_when_it_is_unambiguous(tmp_path: Path) -> None:
    assert _data(_run(_typed(tmp_path), "Amount=5"))["amount"] == 5.0
    ambiguous = _run(_typed(tmp_path), "Days=5")
    assert ambiguous.exit_code == 2
    assert "'Days' is the Name of several declarations (days, x7)" in ambiguous.stderr


@pytest.mark.parametrize("pair", ["1x=2", "a-b=2", " amount=2", "=2", "novalue"])
def test_names_must_be_identifiers(tmp_path: Path, pair: str) -> None:
    result = _run(_typed(tmp_path), pair)
    assert result.exit_code == 2
    assert "--set" in result.stderr


def test_instance_start_checks_and_converts_the_same_way(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    xpdl = _typed(tmp_path)
    started = cli("instance", "start", xpdl, "--db", url, "--set", "amount=10", "--set", "zip=007")
    assert started.exit_code == 0, started.output
    with Engine(db_url=url) as engine:
        data = engine.instance(started.stdout.strip()).data
    assert data["amount"] == 10.0 and isinstance(data["amount"], float) and data["zip"] == "007"
    wrong = cli("instance", "start", xpdl, "--db", url, "--set", "days=abc")
    assert wrong.exit_code == 2 and "data field 'days'" in wrong.stderr
    undeclared = cli("instance", "start", xpdl, "--db", url, "--set", "nope=1")
    assert undeclared.exit_code == 2 and "not declared" in undeclared.stderr
    allowed = cli("instance", "start", xpdl, "--db", url, "--set", "nope=1", "--allow-undeclared")
    assert allowed.exit_code == 0, allowed.output
