"""An incident whose advice is "fix the data and retry", answered with the CLI alone.

Before: no command wrote instance data, ``incident retry`` printed ``ID resolved`` (exit 0)
though the retry failed again at once in the command and opened a new incident, and the
refusal of ``incident skip`` told the operator to fix the data without saying how.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


@pytest.fixture
def url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


def _routing() -> PackageBuilder:
    """An exclusive decision on ``amount`` that has no way on for 0 (no OTHERWISE)."""
    pb = PackageBuilder("fixdata")
    p = pb.process("route")
    p.data_field("amount", "INTEGER", initial="0")
    p.data_field("note", "STRING")
    p.activity("enter").route("decide").activity("big").activity("small")
    p.transition("enter", "decide")
    p.transition("decide", "big", condition="amount > 100")
    p.transition("decide", "small", condition="amount > 0 and amount <= 100")
    return pb


def _held(tmp_path: Path, url: str) -> tuple[str, str]:
    """An instance held at ``decide`` by an incident; its id and the incident's."""
    xpdl = write(tmp_path, _routing())
    [iid] = cli("instance", "start", xpdl, "--db", url).stdout.split()
    with Engine(db_url=url) as engine:
        engine.run_due_jobs()
    [incident] = _open(url)
    assert incident["activity_id"] == "decide"
    return iid, str(incident["id"])


def _open(url: str) -> list[dict[str, object]]:
    result = cli("incidents", "--db", url, "--json")
    assert result.exit_code == 0, result.output
    listed: list[dict[str, object]] = json.loads(result.stdout)
    return listed


def test_a_retry_that_fails_again_at_once_says_so_and_exits_1(tmp_path: Path, url: str) -> None:
    iid, first = _held(tmp_path, url)
    result = cli("incident", "retry", first, "--db", url)
    [again] = _open(url)
    assert again["id"] != first
    assert result.exit_code == 1 and result.stdout == ""
    said = result.stderr
    assert f"{first} retried: it failed again as {again['id']}: " in said
    assert "no outgoing transition's condition holds" in said
    assert f"wfengine instance set {iid}" in said


def test_instance_set_fixes_the_data_and_the_retry_goes_on(tmp_path: Path, url: str) -> None:
    iid, first = _held(tmp_path, url)
    done = cli("instance", "set", iid, "amount=5", "note=1.10", "--db", url, "--user", "ops-anna")
    assert done.exit_code == 0, done.output
    assert done.stdout == f"{iid} open.running\n"
    retried = cli("incident", "retry", first, "--db", url)
    assert retried.exit_code == 0 and retried.stdout == f"{first} resolved\n"  # as before
    assert _open(url) == []
    with Engine(db_url=url) as engine:
        engine.run_due_jobs()
        assert engine.instance(iid).state is ProcessState.COMPLETED
        assert engine.trace(iid) == ["enter", "decide", "small"]
        # by the declared types: a STRING keeps its text, as instance start --set keeps it
        assert engine.instance(iid).data == {"amount": 5, "note": "1.10"}
        [assigned] = [e for e in engine.audit(iid) if e.kind == "instance.data"]
        assert assigned.user == "ops-anna"


@pytest.mark.parametrize(
    ("pair", "named"),
    [
        ("amount=abc", "amount"),  # not an INTEGER
        ("amont=5", "amont"),  # not declared
        ("amount", "amount"),  # not NAME=VALUE
    ],
)
def test_instance_set_refuses_what_does_not_fit_naming_it(
    tmp_path: Path, url: str, pair: str, named: str
) -> None:
    iid, _ = _held(tmp_path, url)
    result = cli("instance", "set", iid, pair, "--db", url)
    assert result.exit_code == 2 and named in result.stderr
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).data == {"amount": 0, "note": None}


def test_instance_set_on_an_unknown_or_closed_instance_is_exit_1(tmp_path: Path, url: str) -> None:
    iid, _ = _held(tmp_path, url)
    unknown = cli("instance", "set", "pi-404", "amount=5", "--db", url)
    assert unknown.exit_code == 1 and "pi-404" in unknown.stderr
    assert cli("instance", "terminate", iid, "--db", url).exit_code == 0
    closed = cli("instance", "set", iid, "amount=5", "--db", url)
    assert closed.exit_code == 1
    assert iid in closed.stderr and "closed.terminated" in closed.stderr


def test_a_skip_the_count_refuses_names_the_command_that_fixes_the_data(
    tmp_path: Path, url: str
) -> None:
    """A sequential multi-instance activity whose count, counted again, divides by zero."""
    from wfengine import multi_instance

    pb = PackageBuilder("counted")
    p = pb.process("seq")
    p.data_field("n", "INTEGER", initial="3").data_field("d", "INTEGER", initial="1")
    p.activity("rev", performer="clerk", loop=multi_instance("n / d", ordering="Sequential"))
    p.activity("after").transition("rev", "after")
    with Engine(db_url=url) as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("seq", {})
        [item] = engine.work_items(iid)
        engine.complete_work_item(item.id, {"d": 0})
    [incident] = _open(url)
    held = str(incident["id"])
    refused = cli("incident", "skip", held, "--db", url, "--set", "d=1")
    assert refused.exit_code == 1 and f"wfengine instance set {iid}" in refused.stderr
    again = cli("incident", "retry", held, "--db", url)
    assert again.exit_code == 1 and "division by zero" in again.stderr
    [held_again] = _open(url)
    assert cli("instance", "set", iid, "d=1", "--db", url).exit_code == 0
    retried = cli("incident", "retry", str(held_again["id"]), "--db", url)
    assert retried.exit_code == 0, retried.output
    assert _open(url) == []


def test_a_loop_condition_held_by_the_data_is_answered_from_the_cli(
    tmp_path: Path, url: str
) -> None:
    """A loop condition that divides by zero: the skip refusal names the command, a retry on
    the same data fails again (exit 1), and after ``instance set`` the retry goes on."""
    from wfengine import standard_loop

    pb = PackageBuilder("looped")
    p = pb.process("lp")
    p.data_field("n", "INTEGER", initial="0").data_field("d", "INTEGER", initial="0")
    p.activity("a", loop=standard_loop("n / d > 5")).activity("b").transition("a", "b")
    [iid] = cli("instance", "start", write(tmp_path, pb), "--db", url).stdout.split()
    with Engine(db_url=url) as engine:
        engine.run_due_jobs()
    [incident] = _open(url)
    held = str(incident["id"])
    refused = cli("incident", "skip", held, "--db", url)
    assert refused.exit_code == 1 and f"wfengine instance set {iid}" in refused.stderr
    again = cli("incident", "retry", held, "--db", url)
    assert again.exit_code == 1 and f"{held} retried: it failed again as " in again.stderr
    [held_again] = _open(url)
    assert cli("instance", "set", iid, "d=1", "--db", url).exit_code == 0
    retried = cli("incident", "retry", str(held_again["id"]), "--db", url)
    assert retried.exit_code == 0 and retried.stdout == f"{held_again['id']} resolved\n"
    with Engine(db_url=url) as engine:
        engine.run_due_jobs()
        assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_workers_failing_call_between_is_not_the_retry_failing_again(
    tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The retry of a failed application call only queues the call for a worker: a worker
    taking it up at once and failing again (the service still down) is a new incident of the
    worker's run, not this command failing; it printed "failed again", exit 1, before."""
    pb = PackageBuilder("called")
    p = pb.process("proc")
    p.data_field("_uC", "STRING", name="code")
    p.application("lookup", params=[("code", "OUT", "STRING")])
    p.activity("call", tool="lookup", args=["_uC"]).activity("after")
    p.transition("call", "after")
    cli("instance", "start", write(tmp_path, pb), "--db", url)

    def down() -> None:
        raise ConnectionError("down")

    def worker_pass() -> None:
        with Engine(db_url=url) as worker:
            worker.applications.sleep = lambda _s: None
            worker.applications.register("lookup", down, retries=0)
            worker.run_due_jobs()

    worker_pass()
    [incident] = _open(url)
    retry = Engine.retry_incident

    def retry_then_a_worker(self: Engine, *args: Any, **kwargs: Any) -> Any:
        answer = retry(self, *args, **kwargs)
        worker_pass()  # a worker's poll lands before the command line has told anything
        return answer

    monkeypatch.setattr(Engine, "retry_incident", retry_then_a_worker)
    result = cli("incident", "retry", str(incident["id"]), "--db", url)
    assert result.exit_code == 0 and result.stdout == f"{incident['id']} resolved\n"
    [worker_s] = _open(url)  # the worker's failure is told where incidents are told
    assert worker_s["id"] != incident["id"] and "ConnectionError" in str(worker_s["error"])


def test_instance_set_refuses_a_read_only_field_as_start_does(tmp_path: Path, url: str) -> None:
    """A ReadOnly field is a constant: instance start --set, incident skip --set and WAPI refuse
    to write it, and instance set wrote it, the process then routing on the changed constant."""
    pb = PackageBuilder("constants")
    p = pb.process("route")
    p.data_field("limit", "INTEGER", initial="100", read_only=True)
    p.data_field("amount", "INTEGER", initial="0")
    p.activity("enter")
    xpdl = write(tmp_path, pb)
    [iid] = cli("instance", "start", xpdl, "--db", url).stdout.split()
    refused = cli("instance", "set", iid, "limit=-1", "amount=3", "--db", url)
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "'limit' is read-only" in refused.stderr
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).data == {"limit": 100, "amount": 0}
