"""A trail written before ``deadline.fired`` recorded ``interrupts`` (a database from then,
a JSONL export) still counts an activity instance a synchronous deadline ended: the rule
then applies (closed terminated after its deadline fired), on memory and SQL alike. A
deadline written now always records ``interrupts``, false for one that let the activity go
on, so a reader tells "let it go on" from "not recorded"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.audit.exports import iter_events
from wfengine.audit.metrics import activity_metrics_of, process_metrics
from wfengine.runtime.history import DeadlineFired, read_payload
from wfengine.runtime.sql.schema import audit_events
from wfengine.runtime.store import AuditEvent

START = datetime(2030, 1, 1, tzinfo=UTC)


def _run(engine: Engine, mode: str) -> None:
    """One instance of ``p`` completes 'check' on time; the other's deadline (``mode``)
    fires; a reminder's instance is then terminated by an operator."""
    pb = PackageBuilder("late")
    p = pb.process("p")
    p.activity("check", performer="clerk", deadlines=[("PT2H", "Late", mode)])
    p.activity("remind", performer="boss")
    p.activity("done")
    p.transition("check", "done").transition("check", "remind", exception="Late")
    engine.deploy(pb.build())
    on_time = engine.start_process("p")
    late = engine.start_process("p")
    (item,) = engine.work_items(on_time)
    engine.complete_work_item(item.id, user="alice")
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    clock.advance(timedelta(hours=3))
    if mode == "ASYNCHR":
        engine.terminate(late)


def _engine(db_url: str | None = None) -> Engine:
    return Engine(clock=VirtualClock(START), db_url=db_url, directory=Organisation.from_data(ORG))


def _unrecorded(detail: Any) -> Any:
    """``detail`` as a ``deadline.fired`` event written before ``interrupts`` was kept."""
    return {k: v for k, v in detail.items() if k != "interrupts"}


def _as_old(event: AuditEvent) -> AuditEvent:
    if event.kind == "deadline.fired":
        return event._replace(detail=_unrecorded(event.detail))
    return event


def _check(events: list[AuditEvent]) -> tuple[int, float]:
    [found] = [a for a in activity_metrics_of(events) if a.activity_id == "check"]
    return found.count, found.overdue_share


def test_an_old_trail_still_counts_an_activity_its_synchronous_deadline_ended() -> None:
    with _engine() as engine:
        _run(engine, "SYNCHR")
        events = list(iter_events(engine, process_id="p"))
    assert _check(events) == (2, 0.5)
    assert _check([_as_old(ev) for ev in events]) == (2, 0.5)  # before: (1, 0.0)
    # the oldest shape, the bare exception name, reads by the same rule
    bare = [ev._replace(detail="Late") if ev.kind == "deadline.fired" else ev for ev in events]
    assert _check(bare) == (2, 0.5)


def test_an_old_database_still_counts_an_activity_its_synchronous_deadline_ended(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'wfengine.db'}"
    with _engine(url) as engine:
        _run(engine, "SYNCHR")
    db = sa.create_engine(url)
    with db.begin() as conn:
        fired = audit_events.c.kind == "deadline.fired"
        [row] = conn.execute(sa.select(audit_events).where(fired)).mappings()
        assert row["detail"]["interrupts"] is True
        mine = (audit_events.c.instance_id == row["instance_id"]) & (
            audit_events.c.seq == row["seq"]
        )
        conn.execute(sa.update(audit_events).where(mine).values(detail=_unrecorded(row["detail"])))
    db.dispose()
    with _engine(url) as engine:
        [fired] = engine.audit_events(process_id="p", kind="deadline.fired")
        assert "interrupts" not in fired.detail
        [check] = [a for a in process_metrics(engine, "p").activities if a.activity_id == "check"]
        assert (check.count, check.overdue_share) == (2, 0.5)  # before: (1, 0.0)


def test_a_reminder_records_that_it_let_the_activity_go_on() -> None:
    with _engine() as engine:
        _run(engine, "ASYNCHR")
        events = list(iter_events(engine, process_id="p"))
    [fired] = [ev for ev in events if ev.kind == "deadline.fired"]
    assert fired.detail["interrupts"] is False
    assert _check(events) == (1, 0.0)  # the instance an operator ended does not count


def test_a_deadline_fired_event_reads_whether_it_recorded_an_interruption() -> None:
    due = datetime(2030, 1, 1, 10, tzinfo=UTC)
    for interrupts in (True, False):
        detail = DeadlineFired("Late", due, interrupts).detail()
        assert detail["interrupts"] is interrupts
        assert read_payload("deadline.fired", detail) == DeadlineFired("Late", due, interrupts)
    old = {"exception": "Late", "due": due.isoformat()}
    assert read_payload("deadline.fired", old) == DeadlineFired("Late", due, None)
    assert DeadlineFired("Late", due, None).detail() == old
