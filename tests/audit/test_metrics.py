"""Process metrics: known figures on a hand-made trail, and the SQL store's query equal to the
pure-Python reference computation on a generated trail."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.audit.metrics import (
    ActivityMetrics,
    Durations,
    activity_metrics_of,
    instance_figures,
    nearest_rank,
    process_metrics,
)


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("claim")
        p.activity("enter", performer="clerk", deadlines=[("PT3H", "Late", "ASYNCHR")])
        p.activity("book", performer="accountant")
        p.transition("enter", "book")
        e.deploy(pb.build())
        mixed = PackageBuilder("mixed")
        m = mixed.process("mixed")
        m.route("fork", gateway="Parallel").route("join", gateway="Parallel")
        m.activity("auto").activity("again", performer="clerk", writes=["n"], loop=_twice())
        m.transition("fork", "auto").transition("fork", "again")
        m.transition("auto", "join").transition("again", "join")
        e.deploy(mixed.build())
        yield e
        check_history(e)


def _twice() -> Any:
    from wfengine.definition.model import StandardLoop

    return StandardLoop(condition="n < 2")


def test_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]
    assert (nearest_rank(values, 0.5), nearest_rank(values, 0.95)) == (10.0, 19.0)
    assert nearest_rank([7.0], 0.95) == 7.0
    assert Durations.of([]).mean is None


def test_known_figures(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    for waited, worked in ((1, 1), (2, 3), (4, 2)):  # hours
        iid = engine.start_process("claim")
        (enter,) = engine.work_items(iid)
        clock.advance(timedelta(hours=waited))
        engine.claim_work_item(enter.id, "alice")
        engine.start_work_item(enter.id, "alice")
        clock.advance(timedelta(hours=worked))
        engine.complete_work_item(enter.id, user="alice")
        (book,) = engine.work_items(iid)
        engine.complete_work_item(book.id, user="dan")
    engine.start_process("claim")  # one left open
    m = process_metrics(engine, "claim")
    assert (m.started, m.completed, m.work_in_progress) == (4, 3, 1)
    enter = next(a for a in m.activities if a.activity_id == "enter")
    h = 3600.0
    assert enter.count == 3
    assert enter.waiting.mean == pytest.approx(7 / 3 * h, abs=0.01)
    assert (enter.waiting.median, enter.waiting.p95) == pytest.approx((2 * h, 4 * h), abs=0.01)
    assert enter.processing.median == pytest.approx(2 * h, abs=0.01)
    assert enter.overdue_share == pytest.approx(2 / 3)  # 2+3 and 4+2 hours passed 3 hours
    assert m.cycle_time.median == pytest.approx(5 * h, abs=0.01)
    assert m.bottlenecks[0] == "enter"
    assert {(u.user, u.completed) for u in m.users} == {("alice", 3), ("dan", 3)}
    assert m.throughput_per_day is not None and m.cycle_time.count == 3
    groups = {(g.kind, g.id): (g.completed, g.holding) for g in m.groups}
    assert groups[("role", "clerk")] == (3, 0) and groups[("role", "accountant")] == (3, 0)
    assert groups[("unit", "sales")] == (3, 0)  # alice's unit
    # a window before anything happened: nothing started or completed in it, the work in
    # progress is what it is now
    before = clock.now() - timedelta(days=30)
    empty = process_metrics(engine, "claim", until=before)
    assert (empty.started, empty.completed, empty.work_in_progress) == (0, 0, 1)
    assert empty.throughput_per_day is None and empty.activities == ()


def test_the_store_agrees_with_the_reference(engine: Engine) -> None:
    rng = random.Random(7)
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    for _ in range(25):
        iid = engine.start_process("claim")
        clock.advance(timedelta(seconds=rng.randint(0, 900)))
        (enter,) = engine.work_items(iid)
        if rng.random() < 0.7:
            engine.claim_work_item(enter.id, "bob")
            engine.start_work_item(enter.id, "bob")
            clock.advance(timedelta(seconds=rng.randint(1, 20000)))
        engine.complete_work_item(enter.id, user="bob")
        clock.advance(timedelta(seconds=rng.randint(0, 5000)))
        if rng.random() < 0.8:
            (book,) = engine.work_items(iid)
            engine.complete_work_item(book.id, user="dan")
    whole = process_metrics(engine, "claim")
    (started, opened, _, _, cycles), people = instance_figures(engine, "claim")
    cycle = Durations.of(cycles)
    counts = (whole.started, whole.work_in_progress, whole.completed)
    assert counts == (started, opened, cycle.count) and 0 < opened < started
    assert {(u.user, u.completed, u.holding) for u in whole.users} == {
        (u, *people[u]) for u in people
    }
    for x, y in ((whole.cycle_time.median, cycle.median), (whole.cycle_time.p95, cycle.p95)):
        assert x == pytest.approx(y, abs=0.01)
    got = whole.activities
    reference = activity_metrics_of(engine.audit_events(process_id="claim"))
    assert [a.activity_id for a in got] == [a.activity_id for a in reference]
    for mine, ref in zip(got, reference, strict=True):
        _close(mine, ref)
    start = engine.audit_events(limit=1)[0].at
    window = {"since": start + timedelta(hours=2), "until": start + timedelta(hours=20)}
    windowed = process_metrics(engine, "claim", **window)
    got = windowed.activities
    reference = activity_metrics_of(engine.audit_events(process_id="claim"), **window)
    assert 0 < sum(a.count for a in got) < sum(a.count for a in whole.activities)
    for mine, ref in zip(got, reference, strict=True):
        _close(mine, ref)
    # the instances that started and completed in the window, the work in progress now
    (started, opened, _, _, cycles), _ = instance_figures(engine, "claim", **window)
    assert (windowed.started, windowed.completed, windowed.work_in_progress) == (
        started,
        len(cycles),
        whole.work_in_progress,
    )
    assert 0 < windowed.started < whole.started and windowed.completed < whole.completed
    assert windowed.cycle_time.median == pytest.approx(Durations.of(cycles).median, abs=0.01)


def _close(mine: ActivityMetrics, ref: ActivityMetrics) -> None:
    assert (mine.activity_id, mine.count) == (ref.activity_id, ref.count)
    assert mine.overdue_share == pytest.approx(ref.overdue_share)
    for a, b in ((mine.waiting, ref.waiting), (mine.processing, ref.processing)):
        assert a.count == b.count
        for x, y in ((a.mean, b.mean), (a.median, b.median), (a.p95, b.p95), (a.total, b.total)):
            assert x == pytest.approx(y, abs=0.01)  # SQLite's julianday: about 20 us


def test_loops_routes_and_automatic_work_agree_with_the_reference(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    for k in range(4):
        iid = engine.start_process("mixed", {"n": 0})
        for n in range(1, 3):
            clock.advance(timedelta(minutes=7 * (k + n)))
            (item,) = engine.work_items(iid)
            engine.complete_work_item(item.id, {"n": n}, user="alice")
    got = process_metrics(engine, "mixed").activities
    reference = activity_metrics_of(engine.audit_events(process_id="mixed"))
    assert {a.activity_id for a in got} == {"fork", "auto", "again", "join"}
    for mine, ref in zip(got, reference, strict=True):
        _close(mine, ref)
