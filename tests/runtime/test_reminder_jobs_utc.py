"""Reminder and escalation jobs are due at a time in UTC on every store, as timers are.

With a clock telling the time in +02:00, the memory store listed a reminder job as
``2030-01-01T10:00:00+02:00`` (and ``next_due_at()`` so) where SQLite listed
``2030-01-01T08:00:00+00:00``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine

PLUS_TWO = timezone(timedelta(hours=2))


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_reminder_and_escalation_jobs_are_listed_in_utc(store: str, tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    rules = {
        "wfengine:reminder-after": "PT1H",
        "wfengine:reminder-every": "PT1H",
        "wfengine:escalate-after": "PT2H",
    }
    p.start("s").activity("work", performer="clerk", extended=rules).end("e")
    p.sequence("s", "work", "e")
    clock = VirtualClock(datetime(2030, 1, 1, 9, tzinfo=PLUS_TWO))  # 07:00Z
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=clock, db_url=url) as engine:
        iid = run(engine, pb)
        dues = sorted(j.due.isoformat() for j in engine.jobs(iid))
        assert dues == ["2030-01-01T08:00:00+00:00", "2030-01-01T09:00:00+00:00"]
        due_at = engine.next_due_at()
        assert due_at is not None and due_at.isoformat() == "2030-01-01T08:00:00+00:00"
        clock.advance(timedelta(hours=1))  # the first reminder goes out, the next is set
        dues = sorted(j.due.isoformat() for j in engine.jobs(iid))
        assert dues == ["2030-01-01T09:00:00+00:00", "2030-01-01T09:00:00+00:00"]
