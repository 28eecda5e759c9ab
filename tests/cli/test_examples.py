"""Every definition in ``examples/`` runs to ``closed.completed`` through ``wfengine run``,
with the application bindings shipped beside it (``examples/NAME_apps.py``) and nothing
stubbed: the examples are what users copy, so they must work as written."""

from __future__ import annotations

import json

import pytest

from tests.cli.databases import cli
from tests.conftest import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"

#: example -> the --set data a run starts with, and the activities it must pass through
RUNS: dict[str, tuple[list[str], list[str]]] = {
    "order_fulfilment.xpdl": (
        ["order_id=A-100", "customer=ada", "amount=250"],
        ["check_stock", "invoice", "pick_and_pack", "ship", "shipped"],
    ),
    "leave_request.xpdl": (["employee_name=Ada", "days=3"], ["record", "notify", "end"]),
}


def test_every_example_has_a_run() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.xpdl")) == sorted(RUNS)


@pytest.mark.parametrize("name", sorted(RUNS))
def test_example_runs_to_completion_with_its_bindings(name: str) -> None:
    data, passes = RUNS[name]
    apps = EXAMPLES / name.replace(".xpdl", "_apps.py")
    assert apps.is_file(), f"{name} ships no application bindings beside it"
    args = ["run", str(EXAMPLES / name), "--apps", str(apps), "--unbound", "incident", "--json"]
    for assignment in data:
        args += ["--set", assignment]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["state"] == "closed.completed"
    assert out["stubbed"] == [] and out["incidents"] == []
    assert all(activity in out["trace"] for activity in passes), out["trace"]


def test_the_order_example_calls_its_tools_whoever_the_performer_is() -> None:
    # check_stock's performer is the ERP system: the engine calls it, nobody clicks
    result = cli(
        "run",
        str(EXAMPLES / "order_fulfilment.xpdl"),
        "--apps",
        str(EXAMPLES / "order_fulfilment_apps.py"),
        "--set",
        "order_id=B-200",
        "--json",
    )
    out = json.loads(result.stdout)
    assert out["data"]["in_stock"] is False
    assert out["trace"][-2:] == ["backorder", "back_ordered"]
    assert "is back-ordered" in result.stderr
