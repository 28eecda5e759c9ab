"""An ``activity_instances`` row whose time was edited by hand to hold no time: ``stats``
leaves it out of the figures and ``status``/``instance show`` (``Engine.activity_instances``)
out of the activities, each naming the row on stderr (a WARNING on the ``wfengine.store``
logger), as a damaged ``process_instances`` row is left out of ``instances``. They ended with
a ``TypeError`` (stats: SQL's date arithmetic gave NULL) or ``ValueError`` traceback, exit 1."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.cli.databases import cli
from wfengine import Engine, PackageBuilder


def _spoiled(tmp_path: Path, column: str) -> tuple[str, str, str]:
    """A SQLite file with one completed instance of a three-step process whose second
    activity row's ``column`` holds ``'garbage'``: the url, the instance and the row's id."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.start("s")
    p.activity("a")
    p.end("e")
    p.sequence("s", "a", "e")
    with Engine(db_url=url) as e:
        e.deploy(pb.build())
        iid = e.start_process("p")
        ids = [ai.id for ai in e.activity_instances(iid)]
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(f"UPDATE activity_instances SET {column} = 'garbage' WHERE id = :i"),
            {"i": ids[1]},
        )
    engine.dispose()
    return url, iid, ids[1]


@pytest.fixture(params=["completed_at", "started_at"])
def column(request: pytest.FixtureRequest) -> str:
    value = request.param
    assert isinstance(value, str)
    return value


def test_stats_leaves_the_row_out_and_names_it(tmp_path: Path, column: str) -> None:
    url, _, bad = _spoiled(tmp_path, column)
    out = cli("stats", "--db", url, "--json")
    assert out.exit_code == 0, out.output
    assert f"wfengine stats: skipped the activity_instances row with id '{bad}'" in out.stderr
    (found,) = json.loads(out.stdout)
    counted = {a["activity_id"]: a["count"] for a in found["activities"]}
    assert "a" not in counted and counted.get("s") == 1 and counted.get("e") == 1


def test_status_and_instance_show_list_the_other_activities(
    tmp_path: Path, column: str, caplog: pytest.LogCaptureFixture
) -> None:
    url, iid, bad = _spoiled(tmp_path, column)
    for command in (("status", iid), ("instance", "show", iid)):
        for extra in ((), ("--json",)):
            out = cli(*command, "--db", url, *extra)
            assert out.exit_code == 0, out.output
            named = f"wfengine {' '.join(command[:-1])}: skipped the activity_instances row "
            assert f"{named}with id '{bad}'" in out.stderr and "garbage" in out.stderr
    shown = json.loads(cli("instance", "show", iid, "--db", url, "--json").stdout)
    assert [a["activity_id"] for a in shown["activities"]] == ["s", "e"]
    with Engine(db_url=url) as e, caplog.at_level(logging.WARNING, "wfengine.store"):
        assert [ai.activity_id for ai in e.activity_instances(iid)] == ["s", "e"]
    assert any(bad in r.getMessage() for r in caplog.records if r.name == "wfengine.store")
