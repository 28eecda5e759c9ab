"""``stats`` with a ``process_instances`` row whose time was edited by hand to hold no time,
beside a readable instance of the same process: the row is left out of the figures and named
(as ``instances`` leaves it out), the others are counted. ``instance_stats``' MIN/MAX gave the
bad text back (a ValueError decoding it) or its cycle time's arithmetic NULL (a TypeError):
a traceback, exit 1, for the whole process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.cli.databases import cli
from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder
from wfengine.audit import process_metrics


def _two_completed(url: str) -> tuple[str, str]:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.start("s")
    p.activity("a")
    p.end("e")
    p.sequence("s", "a", "e")
    with Engine(db_url=url) as e:
        e.deploy(pb.build())
        return e.start_process("p"), e.start_process("p")


def _set(url: str, instance_id: str, assignment: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(f"UPDATE process_instances SET {assignment} WHERE id = :i"), {"i": instance_id}
        )
    engine.dispose()


@pytest.mark.parametrize(
    "assignment",
    ["completed_at = 'garbage'", "started_at = started_at || 'x'", "created_at = 'noon'"],
)
def test_stats_leaves_the_row_out_and_counts_the_rest(tmp_path: Path, assignment: str) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    bad, _ = _two_completed(url)
    _set(url, bad, assignment)
    for extra in ((), ("--process", "p")):
        out = cli("stats", "--db", url, "--json", *extra)
        assert out.exit_code == 0, out.output
        assert f"wfengine stats: skipped the process_instances row with id '{bad}'" in out.stderr
        (found,) = json.loads(out.stdout)
        assert (found["started"], found["completed"]) == (1, 1), found


def test_a_postgresql_time_python_has_no_value_for(
    request: pytest.FixtureRequest, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = store_url(request, "postgres", tmp_path)
    assert url is not None
    bad, _ = _two_completed(url)
    _set(url, bad, "completed_at = 'infinity'")
    with Engine(db_url=url) as e:
        found = process_metrics(e, "p")
    assert (found.started, found.completed) == (1, 1)
    assert any(bad in r.getMessage() for r in caplog.records if r.name == "wfengine.store")
