"""A work item's ``due`` is the earliest deadline of its activity (README, worklist): an
asynchronous deadline that fired late (its instance was suspended over it, no worker ran)
still says when it was due, not when it fired. The ``deadline.fired`` event records the due
time; one recorded before it did is read as before."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.audit.status import detailed_status
from wfengine.runtime.history import DeadlineFired, read_payload
from wfengine.worklist.worklists import worklist


def _late_work() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk", deadlines=[("PT1H", "Late")])
    p.activity("notify").end("e").end("e2")
    p.sequence("s", "work", "e").transition("work", "notify", exception="Late")
    p.sequence("notify", "e2")
    return pb


def _suspended_over_the_deadline(engine: Engine, clock: VirtualClock, iid: str) -> None:
    clock.advance(timedelta(minutes=30))
    engine.suspend(iid)
    clock.advance(timedelta(days=3))
    engine.resume(iid)  # the missed deadline fires now


def test_a_deadline_that_fired_late_leaves_the_work_due_when_it_was(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _late_work())
    due = clock.now() + timedelta(hours=1)
    [before] = worklist(engine, "clerk")
    assert before.due == due
    _suspended_over_the_deadline(engine, clock, iid)
    [fired] = [ev for ev in engine.audit(iid) if ev.kind == "deadline.fired"]
    assert fired.at > due
    assert fired.payload == DeadlineFired("Late", due)
    [entry] = worklist(engine, "clerk")
    assert entry.due == due
    [open_work] = detailed_status(engine, iid).open_work
    assert (open_work.due, open_work.overdue) == (due, True)


def test_wfengine_status_shows_when_a_late_fired_deadline_was_due(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    clock = VirtualClock(datetime(2020, 1, 1, 9, tzinfo=UTC))
    with Engine(clock=clock, db_url=db) as engine:
        iid = run(engine, _late_work())
        _suspended_over_the_deadline(engine, clock, iid)
    result = cli("status", iid, "--db", db)
    assert result.exit_code == 0, result.output
    assert "due 2020-01-01T10:00" in result.output
    shown = cli("status", iid, "--db", db, "--json")
    [work] = json.loads(shown.stdout)["open_work"]
    assert datetime.fromisoformat(work["due"]) == datetime(2020, 1, 1, 10, tzinfo=UTC)


def test_a_deadline_fired_event_recorded_before_the_due_time_was_kept_still_reads() -> None:
    assert read_payload("deadline.fired", "Late") == DeadlineFired("Late")
    due = datetime(2030, 1, 1, 10, tzinfo=UTC)
    assert DeadlineFired("Late").detail() == "Late"
    assert read_payload("deadline.fired", DeadlineFired("Late", due).detail()) == DeadlineFired(
        "Late", due
    )
