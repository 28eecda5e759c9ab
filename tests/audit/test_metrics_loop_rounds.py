"""A Standard loop's rounds are each a piece of work: offered, waited for and done anew, so
each is measured (count, waiting, processing, overdue) and a later round that waits for a
person shows in ``waiting_now`` and the bottlenecks, on every store alike. Before, a person's
loop of two rounds (each waiting 1 h, taking 2 h) counted once, waiting 1 h and processing
5 h (round 2's wait counted as processing), and round 2 waiting counted nowhere."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, standard_loop
from wfengine.audit.metrics import activity_metrics_of, process_metrics

START = datetime(2030, 1, 1, tzinfo=UTC)
H = 3600.0


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(START), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("rounds")
        p = pb.process("rounds")
        p.data_field("again", "BOOLEAN", initial="true")
        p.activity(
            "a",
            performer="clerk",
            loop=standard_loop("again"),
            writes=["again"],
            deadlines=[("PT4H", "Late", "ASYNCHR")],
        )
        p.activity("after", performer="clerk")
        p.transition("a", "after")
        w = pb.process("never")
        w.data_field("again", "BOOLEAN", initial="false")
        w.activity("w", performer="clerk", loop=standard_loop("again", test_time="Before"))
        w.activity("b", performer="clerk")
        w.transition("w", "b")
        e.deploy(pb.build())
        yield e
        check_history(e)


def _round(engine: Engine, iid: str, wait: float, work: float, again: bool) -> None:
    """The open item of ``a`` waits ``wait`` hours, then alice works ``work`` hours on it."""
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    (item,) = [w for w in engine.work_items(iid) if w.state.value == "offered"]
    clock.advance(timedelta(hours=wait))
    engine.claim_work_item(item.id, "alice")
    engine.start_work_item(item.id, "alice")
    clock.advance(timedelta(hours=work))
    engine.complete_work_item(item.id, {"again": again}, user="alice")


def _reference(engine: Engine, **window: datetime) -> dict[str, tuple[object, ...]]:
    found = activity_metrics_of(engine.audit_events(process_id="rounds"), **window)
    return {a.activity_id: (a.count, a.waiting, a.processing, a.overdue_share) for a in found}


def _figures(engine: Engine, **window: datetime) -> dict[str, tuple[object, ...]]:
    found = process_metrics(engine, "rounds", **window).activities
    return {a.activity_id: (a.count, a.waiting, a.processing, a.overdue_share) for a in found}


def test_each_round_of_a_loop_is_measured(engine: Engine) -> None:
    iid = engine.start_process("rounds")
    _round(engine, iid, 1, 2, True)  # 0h-3h
    _round(engine, iid, 1, 2, False)  # 3h-6h: its deadline fired at 4h, in this round
    (a,) = _figures(engine).items()
    count, waiting, processing, overdue = a[1]
    assert a[0] == "a" and count == 2
    assert (waiting.count, waiting.mean, waiting.total) == (2, H, 2 * H)  # type: ignore[attr-defined]
    assert (processing.count, processing.mean) == (2, 2 * H)  # type: ignore[attr-defined]
    assert overdue == 0.5  # round 1 ended before the deadline fired, round 2 after
    assert _figures(engine) == _reference(engine)


def test_a_window_counts_the_rounds_that_ended_in_it(engine: Engine) -> None:
    iid = engine.start_process("rounds")
    _round(engine, iid, 1, 2, True)  # ends at 3h
    _round(engine, iid, 1, 2, True)  # ends at 6h; the loop goes on
    window = {"since": START + timedelta(hours=4), "until": START + timedelta(hours=7)}
    figures = _figures(engine, **window)
    assert figures["a"][0] == 1  # round 2 only, of a loop still running
    assert figures == _reference(engine, **window)


def test_a_later_round_waiting_for_a_person_is_work_waiting_now(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    iid = engine.start_process("rounds")
    _round(engine, iid, 1, 2, True)  # round 2 offered at 3h
    clock.advance(timedelta(hours=10))
    m = process_metrics(engine, "rounds")
    (waiting,) = m.waiting_now
    assert (waiting.activity_id, waiting.count, waiting.waiting.mean) == ("a", 1, 10 * H)
    assert m.bottlenecks == ("a",)
    engine.suspend(iid)  # a suspended case's work still waits
    assert process_metrics(engine, "rounds").waiting_now == m.waiting_now
    engine.terminate(iid)  # a closed case's work waits no longer
    assert process_metrics(engine, "rounds").waiting_now == ()


def test_a_loop_that_ran_no_round_counts_nowhere(engine: Engine) -> None:
    # a while loop whose condition is false at once completes with no work done: no round
    # to count or measure, on every store (SQL counted it once, waiting and processing 0)
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    engine.start_process("never")
    clock.advance(timedelta(hours=2))
    m = process_metrics(engine, "never")
    assert m.activities == ()
    assert [(w.activity_id, w.count) for w in m.waiting_now] == [("b", 1)]
