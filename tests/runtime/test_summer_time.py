"""Waits are lengths of real time, whatever zone the engine's clock tells the time in.

Python adds a timedelta to an aware datetime on its wall clock: with a clock in Berlin,
``12:00+01:00`` the day before summer time begins plus 24 hours is ``12:00+02:00``, only 23
real hours later. A ``PT24H`` timer, deadline or reminder fell due an hour early there (an
hour late in autumn), and ``VirtualClock.advance(timedelta(hours=24))`` moved 23 hours, on
every store. ``PT24H`` is 24 hours: every due time is counted in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.runtime.conftest import run
from wfengine.definition.build_arguments import deadline
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine

BERLIN = ZoneInfo("Europe/Berlin")
#: 11:00Z, the day before Berlin goes from +01:00 to +02:00 (2030-03-31 at 01:00Z)
SPRING = datetime(2030, 3, 30, 12, tzinfo=BERLIN)
A_DAY_LATER = datetime(2030, 3, 31, 11, tzinfo=UTC)


def _url(store: str, tmp_path: Path) -> str | None:
    return None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"


def _waiting(timer: str = "", **work: object) -> PackageBuilder:
    """A process waiting ``timer`` (if given) and then at work for a clerk."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s")
    if timer:
        p.intermediate("t1", timer=timer)
    p.activity("work", performer="clerk", **work).end("e")  # type: ignore[arg-type]
    if "deadlines" in work:
        p.activity("late", performer="boss").end("e2")
        p.transition("work", "late", exception="late")
        p.sequence("late", "e2")
    p.sequence(*(["s", "t1"] if timer else ["s"]), "work", "e")
    return pb


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_pt24h_timer_set_before_summer_time_is_due_24_real_hours_later(
    store: str, tmp_path: Path
) -> None:
    clock = VirtualClock(SPRING)
    with Engine(clock=clock, db_url=_url(store, tmp_path)) as engine:
        iid = run(engine, _waiting("PT24H"))
        [timer] = engine.timers(iid)
        assert timer.due == A_DAY_LATER
        clock.advance(timedelta(hours=23, minutes=59))
        assert engine.timers(iid)  # not yet: 23 hours are not 24
        clock.advance(timedelta(minutes=1))
        assert not engine.timers(iid)
        assert [w.activity_id for w in engine.work_items(iid)] == ["work"]


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_host_clock_telling_local_time_counts_deadlines_and_reminders_in_real_time(
    store: str, tmp_path: Path
) -> None:
    """A host's own clock (not a virtual one) returning ``datetime.now(ZoneInfo(...))``."""

    class HostClock:
        def now(self) -> datetime:
            return SPRING

    pb = _waiting(
        deadlines=[deadline("PT24H", "late")],
        extended={"wfengine:reminder-after": "PT24H", "wfengine:escalate-after": "PT48H"},
    )
    with Engine(clock=HostClock(), db_url=_url(store, tmp_path)) as engine:
        iid = run(engine, pb)
        [timer] = engine.timers(iid)
        assert timer.due == A_DAY_LATER
        reminders = sorted(j.due for j in engine.jobs(iid) if j.kind == "reminder")
        assert reminders == [A_DAY_LATER, A_DAY_LATER + timedelta(hours=24)]


def test_advancing_a_virtual_clock_moves_it_by_that_much_real_time_across_a_change() -> None:
    spring = VirtualClock(SPRING)
    spring.advance(timedelta(hours=24))
    assert spring.now() == A_DAY_LATER
    assert spring.now().isoformat() == "2030-03-31T13:00:00+02:00"  # in its own zone still
    # 01:30 on the night summer time ends, the first time (+02:00): two hours on is 02:30
    # the second time (+01:00), not 03:30
    autumn = VirtualClock(datetime(2030, 10, 27, 1, 30, tzinfo=BERLIN))
    before = autumn.now()
    autumn.advance(timedelta(hours=2))
    assert autumn.now() - before.astimezone(UTC) == timedelta(hours=2)
    assert autumn.now().astimezone(UTC) == datetime(2030, 10, 27, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_lease_is_a_length_of_real_time(store: str, tmp_path: Path) -> None:
    """Leases, retry back-offs and outbox retries were wall-clock sums too (a 24-hour lease
    taken the day before summer time ran out after 23 hours)."""
    clock = VirtualClock(SPRING)
    with Engine(clock=clock, db_url=_url(store, tmp_path), defer_automatic=True) as engine:
        engine.deploy(_waiting().build())
        engine.start_process("main")
        [job] = engine.store.claim_jobs("w1", clock.now(), clock.now(), 1, None, None)
        assert engine.renew_leases([job.id], "w1", lease=timedelta(hours=24)) == [job.id]
        [held] = engine.jobs()
        assert held.lock_expires_at == A_DAY_LATER


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize(
    "written", ["now() + timedelta(hours=24)", "now() + timedelta(seconds=86400)"]
)
def test_a_deadline_counted_from_now_is_real_time_on_a_clock_telling_local_time(
    store: str, written: str, tmp_path: Path
) -> None:
    clock = VirtualClock(SPRING)
    with Engine(clock=clock, db_url=_url(store, tmp_path)) as engine:
        iid = run(engine, _waiting(deadlines=[deadline(written, "late")]))
        assert [t.due for t in engine.timers(iid)] == [A_DAY_LATER]


def test_now_reads_as_the_clock_s_local_time_and_counts_on_in_real_time() -> None:
    from wfengine.expressions import parse

    now = parse("now()").evaluate({}, now=lambda: SPRING)
    assert now == SPRING and now.utcoffset() == timedelta(hours=1)
    assert now.isoformat() == "2030-03-30T12:00:00+01:00"
    later = parse("now() + timedelta(hours=24)").evaluate({}, now=lambda: SPRING)
    assert later == A_DAY_LATER
