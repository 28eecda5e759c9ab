"""``wfengine incident skip --set`` reads values by the declarations of the incident's
process, as ``instance start --set`` does: a STRING field keeps its text (``1.10``, ``1e3``),
a field may be named by its Name, and what a field does not take is refused by the engine
(exit status 1), as before."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine import PackageBuilder
from wfengine.runtime.engine import Engine


def _stopped(tmp_path: Path) -> tuple[str, str, str]:
    """(database URL, instance id, incident id): an instance stopped on a failing call."""
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.data_field("version", "STRING")
    p.data_field("_uC", "STRING", name="code")
    p.data_field("n", "INTEGER")
    p.application("lookup", params=[("version", "OUT", "STRING"), ("code", "OUT", "STRING")])
    p.activity("call", tool="lookup", args=["version", "_uC"])
    p.activity("after")
    p.transition("call", "after")
    xpdl = write(tmp_path, pb)
    [iid] = cli("instance", "start", xpdl, "--db", url).stdout.split()
    with Engine(db_url=url) as engine:
        engine.applications.sleep = lambda _s: None
        engine.applications.register("lookup", _down, retries=0)
        engine.run_due_jobs()
        [incident] = engine.incidents()
    return url, iid, incident.id


def _down() -> dict[str, str]:
    raise ConnectionError("lookup is down")


def test_a_string_keeps_its_text(tmp_path: Path) -> None:
    url, iid, incident = _stopped(tmp_path)
    done = cli(
        "incident", "skip", incident, "--db", url, "--set", "version=1.10", "--set", "_uC=1e3"
    )
    assert done.exit_code == 0, done.output
    with Engine(db_url=url) as engine:
        data = engine.instance(iid).data
    assert (data["version"], data["_uC"]) == ("1.10", "1e3")


def test_a_field_may_be_named_by_its_name(tmp_path: Path) -> None:
    url, iid, incident = _stopped(tmp_path)
    done = cli("incident", "skip", incident, "--db", url, "--set", "code=007")
    assert done.exit_code == 0, done.output
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).data["_uC"] == "007"


def test_what_the_skip_cannot_take_is_still_exit_status_1(tmp_path: Path) -> None:
    url, _iid, incident = _stopped(tmp_path)
    undeclared = cli("incident", "skip", incident, "--db", url, "--set", "nope=1")
    assert undeclared.exit_code == 1 and "nope" in undeclared.stderr
    unknown = cli("incident", "skip", "inc-404", "--db", url, "--set", "version=1")
    assert unknown.exit_code == 1 and "inc-404" in unknown.stderr
