"""``incident skip --set`` reads a STRING field's value as ``instance start --set`` does, as
text: ``NaN``, ``Infinity`` and ``1e999`` were refused as JSON ("is not a JSON number", exit
status 2) before the database was even opened. Only the limits every reading shares come
first; the JSON ones apply where a value is read as JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine import PackageBuilder
from wfengine.runtime.engine import Engine


def _stopped(tmp_path: Path) -> tuple[str, str, str]:
    """(database URL, instance id, incident id): an instance stopped on a failing call."""
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.data_field("_uC", "STRING", name="code")
    p.application("lookup", params=[("code", "OUT", "STRING")])
    p.activity("call", tool="lookup", args=["_uC"])
    p.activity("after")
    p.transition("call", "after")
    xpdl = write(tmp_path, pb)
    [iid] = cli("instance", "start", xpdl, "--db", url).stdout.split()

    def down() -> None:
        raise ConnectionError("down")

    with Engine(db_url=url) as engine:
        engine.applications.sleep = lambda _s: None
        engine.applications.register("lookup", down, retries=0)
        engine.run_due_jobs()
        [incident] = engine.incidents()
    return url, iid, incident.id


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_string_field_keeps_what_json_refuses(tmp_path: Path, text: str) -> None:
    url, iid, incident = _stopped(tmp_path)
    done = cli("incident", "skip", incident, "--db", url, "--set", f"code={text}")
    assert done.exit_code == 0, done.output
    with Engine(db_url=url) as engine:
        assert engine.instance(iid).data["_uC"] == text


def test_an_undeclared_name_is_still_read_as_json_within_its_limits(tmp_path: Path) -> None:
    url, _iid, incident = _stopped(tmp_path)
    done = cli("incident", "skip", incident, "--db", url, "--set", "other=NaN")
    assert done.exit_code == 2 and "NaN is not a JSON number" in done.stderr


def test_too_many_digits_is_refused_before_the_database_is_opened(tmp_path: Path) -> None:
    missing = sqlite_url(tmp_path)  # no database there: the limit comes first
    done = cli("incident", "skip", "inc-1", "--db", missing, "--set", "code=" + "7" * 1300)
    assert done.exit_code == 2 and "has too many digits" in done.stderr
