"""The database examples of ``wfengine --help`` and ``wfengine workitem --help`` are one
sequence a user can follow as printed: load the organisation, start orders, let the worker
bring them to their first person step, then claim and complete one as alice of sales with
the order's own fields. Why: the examples once claimed before any organisation was loaded
(refused), completed the order with leave_request's ``days`` (undeclared) and the order's
first step let its person write nothing."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO_ROOT
from wfengine.cli.main import main


def _examples(*command: str) -> list[list[str]]:
    """The example command lines of ``wfengine COMMAND --help`` (a line ending in ``\\``
    goes on on the next), as argument lists without the leading ``wfengine``."""
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    section = re.split(r"^\s*Examples?:$", result.stdout, maxsplit=1, flags=re.MULTILINE)[1]
    joined = re.sub(r"\\\n\s*", "", section)
    return [
        shlex.split(line)[1:]
        for line in (raw.strip() for raw in joined.splitlines())
        if line.startswith("wfengine ")
    ]


def _on_the_database(lines: list[list[str]]) -> list[list[str]]:
    return [args for args in lines if "sqlite:///wf.db" in args]


def test_the_help_examples_on_wf_db_run_in_the_order_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples").symlink_to(REPO_ROOT / "examples")
    monkeypatch.chdir(tmp_path)  # a fresh folder beside the examples, as a user's
    steps = _on_the_database(_examples()) + _on_the_database(_examples("workitem"))
    assert [args[:2] for args in steps] == [
        ["org", "load"],
        ["instance", "start"],
        ["worker", "--db"],
        ["workitem", "claim"],
        ["workitem", "complete"],
    ]
    for args in steps:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, f"wfengine {shlex.join(args)}:\n{result.output}"
    # the order entered is the instance's: its automatic work goes on from it
    shown = CliRunner().invoke(
        main, ["instance", "show", "pi-7", "--db", "sqlite:///wf.db", "--json"]
    )
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)["data"]
    assert (data["order_id"], data["customer"], data["amount"]) == ("A-100", "ada", 250.0)


#: names the helps say are the reader's own (no shipped process has one of their kind)
_READERS_OWN = ("inc-9", "to_approval")


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, f"wfengine {shlex.join(args)}:\n{result.output}"
    return result.stdout


def test_the_incident_versions_and_instance_set_examples_go_on_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the walk above, `incident skip --help` (its worker finds pi-7 stopped at the
    unbound check_stock), `worklist --help`, `status --help`, `versions --help` and
    `instance set --help` run as printed. Why: they named a process `leave`, a field `note`
    and outputs (`name`, `ok`) that no shipped process has, each refused, and worklist and
    status read a wfengine.db none of the steps made (exit 2)."""
    (tmp_path / "examples").symlink_to(REPO_ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    for args in _on_the_database(_examples()) + _on_the_database(_examples("workitem")):
        _run(args)
    skip = [a for a in _examples("incident", "skip") if not set(a) & set(_READERS_OWN)]
    assert [a[:2] for a in skip] == [
        ["worker", "--db"],
        ["incident", "skip"],
        ["worker", "--db"],
        ["incident", "skip"],
    ]
    later = [
        *skip,
        *_examples("worklist"),
        *_examples("status"),
        *_examples("versions"),
        *[a for a in _examples("instance", "set") if a[:2] == ["instance", "set"]],
    ]
    outputs = [_run(args) for args in later]
    assert outputs[1] == "inc-1 resolved\n" and outputs[3] == "inc-101 resolved\n"
    assert '"process_id": "fulfil_order"' in outputs[-3]
    shown = json.loads(_run(["instance", "show", "pi-7", "--db", "sqlite:///wf.db", "--json"]))
    assert (shown["data"]["in_stock"], shown["data"]["invoice_id"]) == (True, "INV 7 (by hand)")
    pi_1 = json.loads(_run(["instance", "show", "pi-1", "--db", "sqlite:///wf.db", "--json"]))
    assert (pi_1["data"]["amount"], pi_1["data"]["customer"]) == (250.0, "Ada Lovelace")


def test_the_send_back_examples_run_as_printed_and_the_leave_completion_after_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`workitem send-back --help` walks a leave request to carol and back to alice, and
    `workitem complete --help`'s leave example approves the same item instead. Why: the
    example sent an order back to an activity `enter` no shipped process has (and an
    order's pick_and_pack, beside invoice, cannot be sent back)."""
    (tmp_path / "examples").symlink_to(REPO_ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    steps = _examples("workitem", "send-back")
    assert steps[-1][:2] == ["workitem", "send-back"]
    for args in steps[:-1]:
        _run(args)
    (tmp_path / "before.db").write_bytes((tmp_path / "leave.db").read_bytes())
    assert _run(steps[-1]) == "sent back wi-101\n"
    back = _run(["worklist", "--db", "sqlite:///leave.db", "--user", "alice", "--json"])
    assert [row["activity_id"] for row in json.loads(back)] == ["submit"]
    (tmp_path / "leave.db").write_bytes((tmp_path / "before.db").read_bytes())
    [approve] = [a for a in _examples("workitem", "complete") if "sqlite:///leave.db" in a]
    assert _run(approve) == "completed wi-101\n"
