"""``--user U`` on the operator's commands (``instance suspend|resume|terminate|abort|cancel``,
``incident retry|skip|abort``): who asks reaches the audit trail (``wfengine audit --user U``
lists it); without it nobody is named, as before; an empty name is a usage error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.databases import automatic, cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine

OPS = "ops-anna"


@pytest.fixture
def url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


def _start(xpdl: str, url: str, *extra: str) -> str:
    result = cli("instance", "start", xpdl, "--db", url, *extra)
    assert result.exit_code == 0, result.output
    [iid] = result.stdout.split()
    return iid


def _listed(url: str, *filters: str) -> list[dict[str, object]]:
    """The events ``wfengine audit --format jsonl`` lists with ``filters``."""
    result = cli("audit", "--db", url, "--format", "jsonl", *filters)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def _states_by(url: str, iid: str, user: str) -> list[object]:
    listed = _listed(url, "--instance", iid, "--user", user, "--kind", "instance.state")
    return [e["detail"]["state"] for e in listed]  # type: ignore[index]


def test_state_commands_name_the_user_in_the_trail(tmp_path: Path, url: str) -> None:
    iid = _start(write(tmp_path, automatic()), url)
    for verb, user in (("suspend", OPS), ("resume", None), ("terminate", OPS)):
        named = ["--user", user] if user else []
        result = cli("instance", verb, iid, "--db", url, *named)
        assert result.exit_code == 0, result.output
    assert _states_by(url, iid, OPS) == ["open.not_running.suspended", "closed.terminated"]
    with Engine(db_url=url) as engine:
        states = [e for e in engine.audit(iid) if e.kind == "instance.state"]
        assert [e.user for e in states[-3:]] == [OPS, None, OPS]  # resume named nobody
    other = _start(write(tmp_path, automatic()), url)
    assert cli("instance", "abort", other, "--db", url, "--user", OPS).exit_code == 0
    assert _states_by(url, other, OPS) == ["closed.aborted"]


def test_an_empty_user_is_a_usage_error(tmp_path: Path, url: str) -> None:
    iid = _start(write(tmp_path, automatic()), url)
    for args in (["instance", "suspend", iid], ["incident", "retry", "inc-1"]):
        result = cli(*args, "--db", url, "--user", " ")
        assert result.exit_code == 2 and "--user" in result.output
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).state.value == "open.running"  # nothing was done


def test_cancel_names_the_user_on_the_subflow_it_closes(tmp_path: Path, url: str) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").subflow("call", process="child")
    pb.process("child").activity("work", performer="clerk")
    iid = _start(write(tmp_path, pb, "calls.xpdl"), url, "--process", "main")
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    with Engine(db_url=url) as engine:
        [child] = [s.id for s in engine.instance_summaries() if s.process_id == "child"]
    done = cli("instance", "cancel", iid, "--activity", "call", "--db", url, "--user", OPS)
    assert done.exit_code == 0 and done.stdout == f"{iid} closed.completed\n"
    assert _states_by(url, child, OPS) == ["closed.aborted"]


def _down(v: int) -> dict[str, int]:
    raise ConnectionError("billing is down")


def _stopped(tmp_path: Path, url: str) -> tuple[str, str]:
    """An instance stopped on a failing call of ``add``, and its incident."""
    iid = _start(write(tmp_path, automatic()), url)
    with Engine(db_url=url) as engine:
        engine.applications.sleep = lambda _s: None
        engine.applications.register("add", _down)
        engine.run_due_jobs()
        [incident] = engine.incidents(iid)
    return iid, incident.id


@pytest.mark.parametrize("user", [OPS, None])
def test_incident_abort_names_the_user(tmp_path: Path, url: str, user: str | None) -> None:
    iid, incident = _stopped(tmp_path, url)
    named = ["--user", user] if user else []
    result = cli("incident", "abort", incident, "--db", url, *named)
    assert result.exit_code == 0 and result.stdout == f"{incident} resolved\n"
    with Engine(db_url=url) as engine:
        closed = [e for e in engine.audit(iid) if e.kind == "instance.state"][-1]
        assert (closed.detail["state"], closed.user) == ("closed.aborted", user)


def test_incident_retry_and_skip_take_a_user(tmp_path: Path, url: str) -> None:
    _, first = _stopped(tmp_path, url)
    retried = cli("incident", "retry", first, "--db", url, "--user", OPS)
    assert retried.exit_code == 0 and retried.stdout == f"{first} resolved\n"
    iid, second = _stopped(tmp_path, url)
    skipped = cli("incident", "skip", second, "--db", url, "--set", "v=2", "--user", OPS)
    assert skipped.exit_code == 0, skipped.output
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).data["v"] == 2
    listed = _listed(url, "--user", OPS, "--kind", "incident.retried", "--kind", "incident.skipped")
    assert [e["kind"] for e in listed] == ["incident.retried", "incident.skipped"]
