"""``incident skip --set`` refuses a FLOAT that is not finite, at any depth, as every command
taking values does (README's limits: a usage error, exit 2): it stored NaN into a FLOAT output
and into an array of arrays of FLOAT, exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import ArrayType, BasicType, BasicTypeKind
from wfengine.runtime.engine import Engine

_GRID = ArrayType(element=ArrayType(element=BasicType(type=BasicTypeKind.FLOAT)))


def _held_on_a_failed_lookup(tmp_path: Path) -> tuple[str, str, str]:
    """(url, instance id, incident id): lookup, which writes ``grid`` and ``f``, failed."""
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.data_field("grid", _GRID)
    p.data_field("f", "FLOAT")
    p.application("lookup", params=[("grid", "OUT", _GRID), ("f", "OUT", "FLOAT")])
    p.activity("call", tool="lookup", args=["grid", "f"])
    p.activity("after")
    p.transition("call", "after")
    [iid] = cli("instance", "start", write(tmp_path, pb), "--db", url).stdout.split()

    def down() -> None:
        raise ConnectionError("down")

    with Engine(db_url=url) as engine:
        engine.applications.sleep = lambda _s: None
        engine.applications.register("lookup", down, retries=0)
        engine.run_due_jobs()
        [incident] = engine.incidents()
    return url, iid, incident.id


@pytest.mark.parametrize(
    ("given", "where"), [("f=nan", "'f'"), ('grid=[[1.5, "nan"]]', "at [0][1]")]
)
def test_a_float_that_is_not_finite_is_a_usage_error(
    tmp_path: Path, given: str, where: str
) -> None:
    url, iid, incident = _held_on_a_failed_lookup(tmp_path)

    done = cli("incident", "skip", incident, "--db", url, "--set", given)

    assert done.exit_code == 2, done.output
    assert "expected a finite FLOAT" in done.output and where in done.output
    with Engine(db_url=url) as engine:
        assert [i.id for i in engine.incidents()] == [incident]  # still held, nothing written
        assert "f" not in engine.instance(iid).data or engine.instance(iid).data["f"] is None


def test_finite_values_still_skip(tmp_path: Path) -> None:
    url, iid, incident = _held_on_a_failed_lookup(tmp_path)

    done = cli("incident", "skip", incident, "--db", url, "--set", "grid=[[1.5]]", "--set", "f=2")

    assert done.exit_code == 0, done.output
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).data["grid"] == [[1.5]]
        assert engine.instance(iid).data["f"] == 2.0
