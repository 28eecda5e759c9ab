"""The memory store with a clock in a zone turns the times a commit stores into UTC (as the
SQL stores return them), and only those the step touched.

Before, every commit once a zoned time was seen turned every open activity instance of the
instance into UTC again: completing one item of a 10,000-item multi-instance activity cost
3,175 us instead of 40, quadratic over the run. Any ``tzinfo`` other than ``datetime.UTC``
(``ZoneInfo("UTC")`` too) set it off. Counted here by the conversions made, not by time."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, multi_instance
from wfengine.runtime import memory_times


def _mi_engine(zone: tzinfo, count: int) -> tuple[Engine, str]:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("mi")
    p.start("s")
    p.activity("a", performer="clerk", loop=multi_instance(str(count)))
    p.end("e")
    p.sequence("s", "a", "e")
    engine = Engine(clock=VirtualClock(datetime(2030, 1, 1, tzinfo=zone)))
    engine.deploy(pb.build())
    return engine, engine.start_process("mi")


def _conversions_to_complete_one(
    monkeypatch: pytest.MonkeyPatch, zone: tzinfo, open_items: int
) -> int:
    engine, iid = _mi_engine(zone, open_items)
    first = engine.work_items(iid)[0]
    calls = 0
    real = memory_times.utc

    def counted(when: datetime | None) -> datetime | None:
        nonlocal calls
        calls += 1
        return real(when)

    with monkeypatch.context() as m:
        m.setattr(memory_times, "utc", counted)
        engine.complete_work_item(first.id)
    return calls


@pytest.mark.parametrize("zone", [ZoneInfo("Europe/Berlin"), ZoneInfo("UTC")], ids=str)
def test_completing_one_item_converts_as_many_times_however_many_items_are_open(
    monkeypatch: pytest.MonkeyPatch, zone: tzinfo
) -> None:
    few = _conversions_to_complete_one(monkeypatch, zone, 5)
    many = _conversions_to_complete_one(monkeypatch, zone, 200)
    assert few == many


@pytest.mark.parametrize(
    "zone", [ZoneInfo("Europe/Berlin"), ZoneInfo("UTC"), UTC], ids=lambda z: repr(z)
)
def test_every_stored_time_of_a_zoned_run_is_in_utc(zone: tzinfo) -> None:
    engine, iid = _mi_engine(zone, 4)
    items = engine.work_items(iid)
    for item in items[:2]:
        engine.complete_work_item(item.id)
    inst = engine.store.instance(iid)
    times = [inst.created_at, inst.started_at]
    for ai in inst.activities.values():
        times += [ai.started_at, ai.completed_at, ai.running_at]
    for snap in engine.store.activity_history(iid):
        times += [snap.started_at, snap.completed_at]
    for item in engine.work_items(iid):
        times += [item.created_at, item.started_at, item.completed_at]
    times += [e.at for e in engine.audit_events(instance_id=iid)]
    assert {t.tzinfo for t in times if t is not None} == {UTC}
    for item in items[2:]:
        engine.complete_work_item(item.id)
    assert engine.store.instance(iid).state.is_closed
    history = engine.store.activity_history(iid)
    assert {s.started_at.tzinfo for s in history} == {UTC}
    assert {s.completed_at.tzinfo for s in history if s.completed_at is not None} == {UTC}
