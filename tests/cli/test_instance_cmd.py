"""``wfengine instance ...`` and ``wfengine instances``: the contract (output shapes, statuses)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.cli.databases import UNREACHABLE, automatic, cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


@pytest.fixture
def url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
def xpdl(tmp_path: Path) -> str:
    return write(tmp_path, automatic())


def _start(xpdl: str, url: str, *extra: str) -> list[str]:
    result = cli("instance", "start", xpdl, "--db", url, *extra)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_start_prints_one_id_per_instance_and_leaves_the_work_to_workers(
    xpdl: str, url: str
) -> None:
    ids = _start(xpdl, url, "--count", "3", "--set", "v=5")
    assert len(ids) == 3 and len(set(ids)) == 3
    with Engine(db_url=url) as engine:
        for iid in ids:
            snap = engine.instance(iid)
            assert snap.state is ProcessState.RUNNING and snap.data == {"v": 5}
            assert engine.trace(iid) == []  # nothing ran: a continue job waits
            assert [j.kind for j in engine.jobs(iid)] == ["continue"]
    assert _start(xpdl, url)[0] not in ids  # starting again deploys the same version


def test_start_another_process_and_refusals(xpdl: str, url: str, tmp_path: Path) -> None:
    [iid] = _start(xpdl, url, "--process", "other")
    listed = json.loads(cli("instances", "--db", url, "--json").stdout)
    assert listed == [
        {
            "id": iid,
            "process_id": "other",
            "state": "open.running",
            "version": 1,
            "parent_instance_id": None,
        }
    ]
    unknown = cli("instance", "start", xpdl, "--db", url, "--process", "nope")
    assert unknown.exit_code == 2 and "nope" in unknown.stderr
    assert cli("instance", "start", xpdl, "--db", url, "--count", "0").exit_code == 2
    assert cli("instance", "start", xpdl, "--db", url, "--set", "novalue").exit_code == 2
    missing = cli("instance", "start", str(tmp_path / "none.xpdl"), "--db", url)
    assert missing.exit_code == 2 and "none.xpdl" in missing.stderr
    broken = tmp_path / "broken.xpdl"
    broken.write_text("<Package")
    assert cli("instance", "start", str(broken), "--db", url).exit_code == 1
    assert cli("instance", "start", xpdl).exit_code == 2  # --db is required


def test_instances_lists_with_filters(xpdl: str, url: str) -> None:
    first, second = _start(xpdl, url, "--count", "2")
    [third] = _start(xpdl, url, "--process", "other")
    assert cli("instance", "terminate", second, "--db", url).exit_code == 0
    everything = json.loads(cli("instances", "--db", url, "--json").stdout)
    assert everything == [
        {
            "id": first,
            "process_id": "main",
            "state": "open.running",
            "version": 1,
            "parent_instance_id": None,
        },
        {
            "id": second,
            "process_id": "main",
            "state": "closed.terminated",
            "version": 1,
            "parent_instance_id": None,
        },
        {
            "id": third,
            "process_id": "other",
            "state": "open.running",
            "version": 1,
            "parent_instance_id": None,
        },
    ]
    running = cli("instances", "--db", url, "--state", "open.running", "--process", "main")
    assert running.stdout.splitlines() == [f"{first}\tmain\topen.running"]
    empty = cli("instances", "--db", url, "--state", "closed.completed", "--json")
    assert json.loads(empty.stdout) == []
    assert cli("instances", "--db", url, "--state", "runnin").exit_code == 2


def test_show_json_has_one_entry_per_activity_instance(xpdl: str, url: str) -> None:
    [iid] = _start(xpdl, url, "--set", "v=5")
    with Engine(db_url=url) as engine:
        engine.applications.register("add", lambda v: {"v": v + 1})
        assert engine.run_due_jobs() == 1
    result = cli("instance", "show", iid, "--db", url, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    keys = ["id", "process_id", "state", "data", "activities", "version", "kept_messages"]
    keys.append("parent_instance_id")  # (each key added at the end)
    assert list(out) == keys
    assert (out["id"], out["process_id"], out["state"]) == (iid, "main", "closed.completed")
    assert out["data"] == {"v": 6}
    assert [a["activity_id"] for a in out["activities"]] == [
        "split",
        "call",
        "quick",
        "join",
        "end",
    ]
    for a in out["activities"]:
        assert list(a) == [
            "activity_id",
            "state",
            "started_at",
            "completed_at",
            "subflow_instance_id",
        ]
        assert a["state"] == "closed.completed"
        assert datetime.fromisoformat(a["started_at"]) <= datetime.fromisoformat(a["completed_at"])
    text = cli("instance", "show", iid, "--db", url)
    assert "state: closed.completed" in text.stdout and "  v = 6" in text.stdout


def test_show_reports_open_activities_with_null_completion(xpdl: str, url: str) -> None:
    [iid] = _start(xpdl, url, "--process", "other")
    with Engine(db_url=url) as engine:
        engine.run_due_jobs()
    out = json.loads(cli("instance", "show", iid, "--db", url, "--json").stdout)
    [clerk] = out["activities"]
    assert clerk["activity_id"] == "clerk" and clerk["state"] == "open.not_running.not_started"
    assert clerk["completed_at"] is None


def test_state_changes_and_their_refusals(xpdl: str, url: str) -> None:
    [iid] = _start(xpdl, url)
    suspended = cli("instance", "suspend", iid, "--db", url)
    assert suspended.exit_code == 0 and suspended.stdout == f"{iid} open.not_running.suspended\n"
    again = cli("instance", "suspend", iid, "--db", url)
    assert again.exit_code == 1
    assert iid in again.stderr and "open.not_running.suspended" in again.stderr
    assert cli("instance", "resume", iid, "--db", url).stdout == f"{iid} open.running\n"
    with Engine(db_url=url) as engine:
        assert engine.trace(iid) == []  # resuming ran nothing: the worker's job is still there
    assert cli("instance", "abort", iid, "--db", url).stdout == f"{iid} closed.aborted\n"
    refused = cli("instance", "terminate", iid, "--db", url)
    assert refused.exit_code == 1 and "closed.aborted" in refused.stderr
    [other] = _start(xpdl, url)
    assert cli("instance", "terminate", other, "--db", url).stdout == f"{other} closed.terminated\n"


@pytest.mark.parametrize("verb", ["show", "suspend", "resume", "terminate", "abort"])
def test_an_unknown_instance_is_exit_1_naming_it(verb: str, url: str) -> None:
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    result = cli("instance", verb, "pi-404", "--db", url)
    assert result.exit_code == 1 and "pi-404" in result.stderr


#: operators' commands, each with what it needs besides --db
OPERATORS = [
    ["instances"],
    ["instance", "show", "pi-1"],
    ["instance", "abort", "pi-1"],
    ["incidents"],
    ["incident", "retry", "inc-1"],
]


@pytest.mark.parametrize("args", OPERATORS)
@pytest.mark.usefixtures("fast_retry")
def test_an_unusable_database_is_exit_2(args: list[str], tmp_path: Path) -> None:
    unreachable = cli(*args, "--db", UNREACHABLE)
    assert unreachable.exit_code == 2 and "127.0.0.1" in unreachable.stderr
    assert cli(*args, "--db", "nosuchdb://x").exit_code == 2
    assert cli(*args, "--db", f"sqlite:///{tmp_path}/no/such/dir/wf.db").exit_code == 2


def test_db_may_come_from_the_environment(
    xpdl: str, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WFENGINE_DB", url)
    [iid] = cli("instance", "start", xpdl).stdout.splitlines()
    assert json.loads(cli("instances", "--json").stdout)[0]["id"] == iid


@pytest.mark.parametrize(
    "args",
    [
        *OPERATORS,
        ["worklist", "--user", "ann"],
        ["audit"],
        ["message", "send", "reply", "--instance", "pi-1"],
        ["org", "show"],
    ],
)
def test_an_operators_command_on_a_missing_file_creates_nothing(
    args: list[str], tmp_path: Path
) -> None:
    """A mistyped path is exit 2 naming it and the command that creates a database, not an
    empty database made there and an answer as if nothing were stored."""
    path = tmp_path / "typo.db"
    result = cli(*args, "--db", f"sqlite:///{path}")
    assert result.exit_code == 2, result.output
    assert f"no database at {path}" in result.stderr
    assert "wfengine db upgrade" in result.stderr
    assert not path.exists()


def test_starting_instances_creates_the_database(xpdl: str, tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    [iid] = cli("instance", "start", xpdl, "--db", f"sqlite:///{path}").stdout.split()
    assert path.exists()
    assert cli("instance", "show", iid, "--db", f"sqlite:///{path}").exit_code == 0


def test_an_outdated_database_names_the_upgrade(tmp_path: Path) -> None:
    from wfengine.runtime.sql import migrate

    url = sqlite_url(tmp_path)
    migrate.upgrade(url, "0001")
    result = cli("instances", "--db", url)
    assert result.exit_code == 2 and "wfengine db upgrade" in result.stderr


@pytest.mark.usefixtures("fast_retry")
def test_run_with_db_persists_its_instance(tmp_path: Path, url: str) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("ask", performer="clerk").activity("done").transition("ask", "done")
    xpdl = write(tmp_path, pb)
    [waiting] = _start(xpdl, url)  # another instance in the database, with its own work item
    with Engine(db_url=url) as engine:
        engine.run_due_jobs()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"ask": [{"n": 7}]}))
    result = cli("run", xpdl, "--db", url, "--answers", str(answers), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["state"] == "closed.completed" and out["data"] == {"n": 7}
    shown = json.loads(cli("instance", "show", out["instance_id"], "--db", url, "--json").stdout)
    assert shown["state"] == "closed.completed" and shown["data"] == {"n": 7}
    with Engine(db_url=url) as engine:
        assert engine.instance(waiting).state is ProcessState.RUNNING  # left alone
        assert len(engine.work_items(waiting)) == 1
    assert cli("run", xpdl, "--db", UNREACHABLE).exit_code == 2


def test_cancel_an_activity(tmp_path: Path, url: str) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("fork", gateway="Parallel")
    p.activity("a", performer="clerk").activity("b", performer="clerk")
    p.transition("fork", "a").transition("fork", "b")
    [iid] = _start(write(tmp_path, pb, "two.xpdl"), url)
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    done = cli("instance", "cancel", iid, "--activity", "a", "--db", url)
    assert done.exit_code == 0 and done.stdout == f"{iid} open.running\n"
    again = cli("instance", "cancel", iid, "--activity", "a", "--db", url)
    assert again.exit_code == 1 and "not open" in again.stderr
    last = cli("instance", "cancel", iid, "--activity", "b", "--db", url)
    assert last.stdout == f"{iid} closed.completed\n"
    assert cli("instance", "cancel", "pi-404", "--activity", "a", "--db", url).exit_code == 1
