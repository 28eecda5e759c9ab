"""``wfengine incidents`` and ``wfengine incident retry|skip|abort``: the operator's contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.databases import automatic, cli, sqlite_url, write
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

INCIDENT_KEYS = ["id", "instance_id", "activity_id", "application_id", "error", "attempts"]


@pytest.fixture
def url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


def _stopped(tmp_path: Path, url: str, count: int = 1) -> list[str]:
    """``count`` instances stopped on a failing call of ``add`` (3 attempts each)."""
    xpdl = write(tmp_path, automatic())
    ids = cli("instance", "start", xpdl, "--db", url, "--count", str(count)).stdout.split()
    with Engine(db_url=url) as engine:
        engine.applications.sleep = lambda _s: None
        engine.applications.register("add", _down, retries=2)
        engine.run_due_jobs()
    return ids


def _down(v: int) -> dict[str, int]:
    raise ConnectionError("billing is down")


def _incidents(url: str) -> list[dict[str, object]]:
    result = cli("incidents", "--db", url, "--json")
    assert result.exit_code == 0, result.output
    listed: list[dict[str, object]] = json.loads(result.stdout)
    return listed


def test_incidents_json_lists_what_failed_and_how_often(tmp_path: Path, url: str) -> None:
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    assert _incidents(url) == []
    first, second = _stopped(tmp_path, url, count=2)
    listed = _incidents(url)
    assert [list(i) for i in listed] == [INCIDENT_KEYS, INCIDENT_KEYS]
    assert [i["instance_id"] for i in listed] == [first, second]
    one = listed[0]
    assert (one["activity_id"], one["application_id"], one["attempts"]) == ("call", "add", 3)
    assert "ConnectionError: billing is down" in str(one["error"])
    text = cli("incidents", "--db", url).stdout.splitlines()
    assert len(text) == 2 and text[0].startswith(f"{one['id']}\tinstance {first}")
    assert "application add after 3 attempt(s)" in text[0]


def test_retry_queues_the_call_for_a_worker_with_the_binding(tmp_path: Path, url: str) -> None:
    [iid] = _stopped(tmp_path, url)
    [incident] = _incidents(url)
    result = cli("incident", "retry", str(incident["id"]), "--db", url)
    assert result.exit_code == 0 and result.stdout == f"{incident['id']} resolved\n"
    assert _incidents(url) == []
    apps = tmp_path / "apps.py"
    apps.write_text("def register(r):\n    r.register('add', lambda v: {'v': v + 1})\n")
    worker = cli("worker", "--db", url, "--until-idle", "--apps", str(apps))
    assert worker.exit_code == 0, worker.output
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).state is ProcessState.COMPLETED
        assert engine.instance(iid).data == {"v": 2}
    again = cli("incident", "retry", str(incident["id"]), "--db", url)
    assert again.exit_code == 1 and "resolved" in again.stderr


def test_skip_sets_the_outputs_and_workers_carry_on(tmp_path: Path, url: str) -> None:
    [iid] = _stopped(tmp_path, url)
    [incident] = _incidents(url)
    wrong = cli("incident", "skip", str(incident["id"]), "--db", url, "--set", "nope=1")
    assert wrong.exit_code == 1 and "nope" in wrong.stderr
    typed = cli("incident", "skip", str(incident["id"]), "--db", url, "--set", "v=[1]")
    assert typed.exit_code == 1 and "INTEGER" in typed.stderr
    assert len(_incidents(url)) == 1  # refused skips changed nothing
    done = cli("incident", "skip", str(incident["id"]), "--db", url, "--set", "v=41")
    assert done.exit_code == 0 and done.stdout == f"{incident['id']} resolved\n"
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).state is ProcessState.COMPLETED
        assert engine.instance(iid).data == {"v": 41}
        skipped = [e for e in engine.audit(iid) if e.kind == "incident.skipped"]
        assert skipped[0].detail["outputs"] == {"v": 41}


def test_abort_aborts_the_instance(tmp_path: Path, url: str) -> None:
    [iid] = _stopped(tmp_path, url)
    [incident] = _incidents(url)
    result = cli("incident", "abort", str(incident["id"]), "--db", url)
    assert result.exit_code == 0 and result.stdout == f"{incident['id']} resolved\n"
    shown = json.loads(cli("instance", "show", iid, "--db", url, "--json").stdout)
    assert shown["state"] == "closed.aborted"
    assert _incidents(url) == []
    assert cli("incident", "abort", str(incident["id"]), "--db", url).exit_code == 1


@pytest.mark.parametrize("verb", ["retry", "skip", "abort"])
def test_an_unknown_incident_is_exit_1_naming_it(verb: str, url: str) -> None:
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    result = cli("incident", verb, "inc-404", "--db", url)
    assert result.exit_code == 1 and "inc-404" in result.stderr


def test_skip_take_answers_a_label_decision(tmp_path: Path, url: str) -> None:
    from wfengine.definition.builder import PackageBuilder

    pb = PackageBuilder("claims")
    p = pb.process("main")
    p.start("s").route("decide", gateway="Exclusive").end("paid").end("rejected")
    p.transition("s", "decide")
    p.transition("decide", "paid", condition="Claim accepted", id="accept")
    p.transition("decide", "rejected", condition="Claim rejected", id="reject")
    xpdl = write(tmp_path, pb)
    [iid] = cli("instance", "start", xpdl, "--db", url).stdout.split()
    with Engine(db_url=url) as engine:
        engine.run_due_jobs()
    [incident] = _incidents(url)
    assert "is a label for people" in str(incident["error"])
    wrong = cli("incident", "skip", str(incident["id"]), "--db", url, "--take", "nowhere")
    assert wrong.exit_code == 1 and "accept, reject" in wrong.output
    done = cli("incident", "skip", str(incident["id"]), "--db", url, "--take", "reject")
    assert done.exit_code == 0, done.output
    with Engine(db_url=url) as engine:
        engine.run_due_jobs()
        assert engine.trace(iid) == ["s", "decide", "rejected"]
        assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_incident_of_no_activity_names_none(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job incident (a continuation stopped by --job-timeout) was listed as "activity None"."""
    from datetime import UTC, datetime

    from wfengine.runtime.snapshots import IncidentSnapshot

    assert cli("db", "upgrade", "--db", url).exit_code == 0
    stopped = IncidentSnapshot(
        "inc-1",
        "pi-1",
        None,
        None,
        "job",
        "job 'job-1' (continue) failed",
        datetime.now(UTC),
        False,
    )
    monkeypatch.setattr(Engine, "incidents", lambda self, instance_id=None: [stopped])
    result = cli("incidents", "--db", url)
    assert result.exit_code == 0, result.output
    assert result.stdout == "inc-1\tinstance pi-1: job 'job-1' (continue) failed\n"
