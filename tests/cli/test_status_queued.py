"""``wfengine status ID`` says when the case's next step waits only for a worker. The CLI's
commands leave the automatic work that follows them to workers (``instance.deferred``):
after ``instance cancel`` released an OR-join, or ``workitem complete`` its branch, the status
listed no open work, no timers and nothing waiting, so a case that needed only ``wfengine
worker`` read as stuck. Now each such job is a ``queued for a worker: <kind> [<activity>]
<job> due <time>`` line, and ``--json`` lists them under the new key ``queued``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import cli, sqlite_url, write
from tests.cli.documents import REPO_ROOT
from wfengine.cli.database import open_engine
from wfengine.definition.builder import PackageBuilder

EXAMPLE_ORG = REPO_ROOT / "examples" / "organisation.yaml"


@pytest.fixture
def url(tmp_path: Path) -> str:
    """b and c in parallel (people), both into the OR-join m, then z (a person), then the
    automatic y."""
    db = sqlite_url(tmp_path)
    assert cli("org", "load", str(EXAMPLE_ORG), "--db", db).exit_code == 0
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("s", gateway="Parallel")
    p.activity("b", performer="employee").activity("c", performer="employee")
    p.activity("m", join="Inclusive").activity("z", performer="employee").activity("y")
    p.transition("s", "b").transition("s", "c").transition("b", "m").transition("c", "m")
    p.transition("m", "z").transition("z", "y")
    started = cli("instance", "start", write(tmp_path, pb), "--db", db)
    assert started.exit_code == 0, started.output
    _run_worker(db)
    return db


def _run_worker(url: str) -> None:
    """What ``wfengine worker --until-idle`` does (an engine on the stored organisation,
    running the due jobs), in this process: the command's worker processes take seconds."""
    engine = open_engine(url, defer=False)
    try:
        engine.run_due_jobs()
    finally:
        engine.close()


def _status(url: str) -> tuple[list[str], dict[str, Any]]:
    text = cli("status", "pi-1", "--db", url)
    assert text.exit_code == 0, text.output
    shown = cli("status", "pi-1", "--db", url, "--json")
    assert shown.exit_code == 0, shown.output
    return text.stdout.splitlines(), json.loads(shown.stdout)


def _queued_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("  queued for a worker: ")]


def _complete(url: str, activity: str) -> None:
    (item,) = [w for w in _status(url)[1]["open_work"] if w["activity_id"] == activity]
    done = cli("workitem", "complete", item["id"], "--db", url, "--user", "alice")
    assert done.exit_code == 0, done.output


def test_the_work_a_command_left_to_workers_is_shown_queued(url: str) -> None:
    lines, shown = _status(url)
    assert _queued_lines(lines) == [] and shown["queued"] == []  # the worker ran it
    _complete(url, "c")  # (m still waits for b: nothing automatic follows)
    assert _status(url)[1]["queued"] == []

    # the OR-join waits for b alone: cancelling it leaves the join's firing to a worker
    cancelled = cli("instance", "cancel", "pi-1", "--activity", "b", "--db", url)
    assert cancelled.exit_code == 0, cancelled.output
    lines, shown = _status(url)
    assert shown["open_work"] == [] and shown["timers"] == []  # before, all it said
    (job,) = shown["queued"]
    assert (job["kind"], job["activity_id"]) == ("continue", None) and job["due"] is not None
    (line,) = _queued_lines(lines)
    assert line.startswith(f"  queued for a worker: continue {job['job_id']} due ")
    _run_worker(url)
    lines, shown = _status(url)
    assert shown["queued"] == [] and _queued_lines(lines) == []
    assert [w["activity_id"] for w in shown["open_work"]] == ["z"]

    # completing z leaves y, automatic, to a worker
    _complete(url, "z")
    lines, shown = _status(url)
    assert shown["state"] == "open.running" and shown["open_work"] == []
    assert [q["kind"] for q in shown["queued"]] == ["continue"]
    assert len(_queued_lines(lines)) == 1
    _run_worker(url)
    lines, shown = _status(url)
    assert shown["queued"] == [] and _queued_lines(lines) == []
    assert shown["state"] == "closed.completed"


def test_the_brief_status_shows_nothing_queued(url: str) -> None:
    brief = cli("status", "pi-1", "--db", url, "--brief", "--json")
    assert brief.exit_code == 0, brief.output
    assert "queued" not in json.loads(brief.stdout)
