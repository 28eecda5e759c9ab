"""Process metrics: known figures on a hand-made trail (durations to the microsecond, a
window's throughput, the work items each user completed), and the SQL store's query equal to
the pure-Python reference computation on a generated trail."""

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
    entered = next(a for a in m.activities if a.activity_id == "enter")
    h = 3600.0
    assert entered.count == 3
    assert entered.waiting.mean == pytest.approx(7 / 3 * h, abs=0.01)
    assert (entered.waiting.median, entered.waiting.p95) == pytest.approx((2 * h, 4 * h), abs=0.01)
    assert entered.processing.median == pytest.approx(2 * h, abs=0.01)
    assert entered.overdue_share == pytest.approx(2 / 3)  # 2+3 and 4+2 hours passed 3 hours
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
    assert whole.cycle_time == cycle
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
    (started, opened, _, _, cycles), _ = instance_figures(
        engine, "claim", window["since"], window["until"]
    )
    assert (windowed.started, windowed.completed, windowed.work_in_progress) == (
        started,
        len(cycles),
        whole.work_in_progress,
    )
    assert 0 < windowed.started < whole.started and windowed.completed < whole.completed
    assert windowed.cycle_time == Durations.of(cycles)


def _close(mine: ActivityMetrics, ref: ActivityMetrics) -> None:
    assert (mine.activity_id, mine.count) == (ref.activity_id, ref.count)
    assert mine.overdue_share == pytest.approx(ref.overdue_share)
    for a, b in ((mine.waiting, ref.waiting), (mine.processing, ref.processing)):
        assert a.count == b.count
        # equal, not close: the database computes whole microseconds as timedelta does
        assert (a.mean, a.median, a.p95, a.total) == (b.mean, b.median, b.p95, b.total)


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


def test_users_are_credited_with_each_work_item_they_completed(engine: Engine) -> None:
    # a looping activity is one activity instance with a work item per round
    first = engine.start_process("mixed", {"n": 0})
    (item,) = engine.work_items(first)
    engine.claim_work_item(item.id, "alice")
    engine.complete_work_item(item.id, {"n": 1}, user="alice")
    (item,) = engine.work_items(first)
    engine.complete_work_item(item.id, {"n": 2}, user="bob")  # offered to bob, not claimed
    second = engine.start_process("mixed", {"n": 0})
    (item,) = engine.work_items(second)
    engine.claim_work_item(item.id, "alice")
    engine.complete_work_item(item.id, {"n": 1})  # the host's code, for alice who holds it
    (item,) = engine.work_items(second)
    engine.claim_work_item(item.id, "alice")
    mixed = process_metrics(engine, "mixed")
    assert [(u.user, u.completed, u.holding) for u in mixed.users] == [
        ("alice", 2, 1),
        ("bob", 1, 0),
    ]
    groups = {(g.kind, g.id): (g.completed, g.holding) for g in mixed.groups}
    # sales is a unit of management: its people are management's too
    assert groups == {
        ("role", "clerk"): (3, 1),
        ("unit", "sales"): (3, 1),
        ("unit", "management"): (3, 1),
    }
    claim = engine.start_process("claim")
    (item,) = engine.work_items(claim)
    engine.claim_work_item(item.id, "bob")
    engine.complete_work_item(item.id)  # no user and no data: the trail names only the item
    (item,) = engine.work_items(claim)
    engine.claim_work_item(item.id, "dan")
    users = process_metrics(engine, "claim").users
    assert [(u.user, u.completed, u.holding) for u in users] == [("bob", 1, 0), ("dan", 0, 1)]
    _, people = instance_figures(engine, "claim")  # the reference agrees
    assert people == {"bob": (1, 0), "dan": (0, 1)}


def test_a_windows_throughput_is_its_completions_per_day_of_it(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    pb = PackageBuilder("one")
    pb.process("one").activity("a", performer="clerk")
    engine.deploy(pb.build())
    t0 = clock.now()
    cases = [engine.start_process("one") for _ in range(4)]
    for hours, iid in zip((25, 26, 27, 28), cases, strict=True):
        clock.set(t0 + timedelta(hours=hours))
        (item,) = engine.work_items(iid)
        engine.complete_work_item(item.id, user="alice")
    clock.set(t0 + timedelta(hours=31))
    engine.start_process("one")  # open

    def per_day(since: float | None, until: float | None) -> float | None:
        window = {
            k: None if h is None else t0 + timedelta(hours=h)
            for k, h in (("since", since), ("until", until))
        }
        return process_metrics(engine, "one", **window).throughput_per_day

    # a day that completed 4, with one start after the last completion
    assert per_day(15, 39) == pytest.approx(4.0)
    assert per_day(15, 30) == pytest.approx(4 / (15 / 24))  # nothing started in it
    assert per_day(15, None) == pytest.approx(4 / (13 / 24))  # to the last completion
    assert per_day(None, 39) == pytest.approx(4 / (39 / 24))  # from the first start
    assert per_day(None, None) == pytest.approx(4 / (28 / 24))
    assert per_day(2, 3) == 0.0  # a window with nothing completed in it
    assert per_day(29, None) is None  # nothing in it bounds its end


def test_durations_are_exact_to_the_microsecond(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    t0 = clock.now()
    iid = engine.start_process("claim")
    (enter,) = engine.work_items(iid)
    clock.set(t0 + timedelta(minutes=20))
    engine.claim_work_item(enter.id, "alice")
    engine.start_work_item(enter.id, "alice")
    clock.set(t0 + timedelta(hours=1))
    engine.complete_work_item(enter.id, user="alice")
    (book,) = engine.work_items(iid)
    clock.set(t0 + timedelta(hours=1, microseconds=999_999))  # rounds up a second in ms
    engine.claim_work_item(book.id, "dan")
    engine.start_work_item(book.id, "dan")
    clock.set(t0 + timedelta(hours=1, seconds=1, microseconds=399))
    engine.complete_work_item(book.id, user="dan")
    m = process_metrics(engine, "claim")
    times = {a.activity_id: (a.waiting.mean, a.processing.mean) for a in m.activities}
    assert times == {"enter": (1200.0, 2400.0), "book": (0.999999, 0.0004)}
    assert m.cycle_time.mean == 3601.000399


def test_a_persons_loop_and_multi_instance_figures_are_those_of_the_work(
    engine: Engine,
) -> None:
    """A person's looping activity starts when its work does, and a person's multi-instance
    activity counts its instances, not the container that spans them. Before, a looping
    activity was 'started' when offered (waiting 0 in memory, 1800 s on SQLite), each MI
    instance was started twice, and the container was counted as a third instance."""
    from wfengine.definition.builder import multi_instance

    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    pb = PackageBuilder("loops")
    p = pb.process("loops")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("L", performer="clerk", loop=_twice(), writes=["n"])
    p.activity("M", performer="clerk", loop=multi_instance("2"))
    p.transition("L", "M")
    engine.deploy(pb.build())
    t0 = clock.now()

    def at(minutes: int) -> None:
        clock.set(t0 + timedelta(minutes=minutes))

    iid = engine.start_process("loops")
    for start, done, n in ((30, 60, 1), (105, 120, 2)):  # L: offered at 0
        at(start)
        (w,) = engine.work_items(iid)
        engine.claim_work_item(w.id, "alice")
        engine.start_work_item(w.id, "alice")
        at(done)
        engine.complete_work_item(w.id, {"n": n}, user="alice")
    first, second = engine.work_items(iid)  # M's two instances, offered at 120
    for item, start, done in ((first, 140, 160), (second, 180, 240)):
        at(start)
        engine.claim_work_item(item.id, "bob")
        engine.start_work_item(item.id, "bob")
        at(done)
        engine.complete_work_item(item.id, user="bob")
    figures = {a.activity_id: a for a in process_metrics(engine, "loops").activities}
    # each round of L is a piece of work: offered at 0, 30m waiting, 30m work; offered
    # again at 60, 45m waiting, 15m work (tests/audit/test_metrics_loop_rounds.py)
    assert (figures["L"].count, figures["L"].waiting.mean, figures["L"].processing.mean) == (
        2,
        2250.0,
        1350.0,
    )
    assert (figures["M"].count, figures["M"].waiting.mean, figures["M"].processing.mean) == (
        2,
        2400.0,
        2400.0,
    )
    starts = [e.activity_id for e in engine.audit(iid) if e.kind == "activity.started"]
    assert starts.count("L") == 1 and starts.count("M") == 3  # M: its container and two


def test_a_multi_instance_activity_that_ran_no_instance_counts_nothing(engine: Engine) -> None:
    # a count of 0: no instance, so nothing to count, on every store (SQL counted the
    # container once, as the instances beside it it looks for were none)
    from wfengine.definition.builder import multi_instance

    pb = PackageBuilder("zero")
    p = pb.process("zero")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("m", performer="clerk", loop=multi_instance("n")).activity("after")
    p.transition("m", "after")
    engine.deploy(pb.build())
    engine.start_process("zero")
    counted = {a.activity_id: a.count for a in process_metrics(engine, "zero").activities}
    assert counted == {"after": 1}


def test_whether_a_row_is_a_multi_instance_container_is_its_own_versions_say(
    engine: Engine,
) -> None:
    """v1 made `m` multi-instance (one instance of v1 ran none, one ran two), v2 a person's
    plain activity: the SQL stores, seeing `m` plain in some version, counted v1's empty
    container as work (4 instances, a mean wait of 3600 s, where the memory store said 3 and
    4800 s)."""
    from wfengine.definition.builder import multi_instance

    clock = engine.clock
    assert isinstance(clock, VirtualClock)

    def version(multi: bool) -> Any:
        pb = PackageBuilder("versions")
        p = pb.process("versions")
        p.data_field("n", "INTEGER", initial="0")
        p.activity("m", performer="clerk", loop=multi_instance("n") if multi else None)
        p.activity("after").transition("m", "after")
        return pb.build()

    engine.deploy(version(True))
    engine.start_process("versions")  # m runs no instance
    two = engine.start_process("versions", {"n": 2})
    for item in engine.work_items(two):
        clock.advance(timedelta(hours=1))
        engine.complete_work_item(item.id)
    engine.deploy(version(False))
    plain = engine.start_process("versions")
    (item,) = engine.work_items(plain)
    clock.advance(timedelta(hours=1))
    engine.complete_work_item(item.id)
    figures = {a.activity_id: a for a in process_metrics(engine, "versions").activities}
    assert (figures["m"].count, figures["m"].waiting.mean) == (3, 4800.0)
    assert list(figures.values()) == activity_metrics_of(engine.audit_events(process_id="versions"))


def test_a_deadline_on_a_multi_instance_activity_makes_its_instances_overdue(
    engine: Engine,
) -> None:
    """The deadline fires on the container, which is not counted; its instances, which are,
    were never overdue (0% where the worklist showed them overdue). Here the activity runs
    twice: late the first time, in time the second."""
    from wfengine.definition.builder import deadline, multi_instance

    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    pb = PackageBuilder("signing")
    p = pb.process("signing")
    p.data_field("again", "BOOLEAN", initial="false")
    p.activity(
        "sign",
        performer="clerk",
        loop=multi_instance("2"),
        writes=["again"],
        deadlines=[deadline("PT90M", "Late")],
    )
    p.activity("begin").activity("after").transition("begin", "sign")
    p.transition("sign", "sign", condition="again").transition("sign", "after", otherwise=True)
    engine.deploy(pb.build())
    iid = engine.start_process("signing")
    clock.advance(timedelta(hours=2))  # the first round's deadline fires
    for item in engine.work_items(iid):
        engine.complete_work_item(item.id, {"again": True})
    clock.advance(timedelta(minutes=10))  # the second round: done in time
    for item in engine.work_items(iid):
        engine.complete_work_item(item.id, {"again": False})
    fired = [e.activity_id for e in engine.audit(iid) if e.kind == "deadline.fired"]
    assert fired == ["sign"]
    figures = {a.activity_id: a for a in process_metrics(engine, "signing").activities}
    assert (figures["sign"].count, figures["sign"].overdue_share) == (4, 0.5)
    assert list(figures.values()) == activity_metrics_of(engine.audit_events(process_id="signing"))


def test_a_units_figures_are_those_of_its_members_and_of_the_units_below_it() -> None:
    """As the organisation offers a unit's work to the units below it, stats counts their
    work in it: management's figures had only its direct members'. A person in a unit and
    one above it counts once in each."""
    org = Organisation.from_data(
        {
            "users": [
                {"id": "alice", "roles": ["clerk"], "units": ["sales"]},
                {"id": "erin", "roles": ["clerk"], "units": ["sales", "management"]},
                {"id": "carol", "roles": ["clerk"], "units": ["management"]},
            ],
            "units": [{"id": "management"}, {"id": "sales", "parent": "management"}],
        }
    )
    with Engine(directory=org) as e:
        pb = PackageBuilder("units")
        pb.process("units").activity("work", performer="clerk")
        e.deploy(pb.build())
        for who in ("alice", "erin", "carol"):
            (item,) = e.work_items(e.start_process("units"))
            e.complete_work_item(item.id, user=who)
        groups = {(g.kind, g.id): g.completed for g in process_metrics(e, "units").groups}
    assert groups == {("role", "clerk"): 3, ("unit", "sales"): 2, ("unit", "management"): 3}
