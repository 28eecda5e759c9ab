"""A timer set within days of the end of the engine's time (a clock in 9999-12): a P5D
deadline, timer event or repeating boundary cycle raised a bare ``OverflowError`` out of
``start_process``; a computed wait ending at 9999-12-31 was set to wait where parked jobs
wait. Each is now what a wait longer than the engine waits is: an incident when the timer is
set, naming where the engine's time ends, and no timer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.clock import due_after

NEAR_THE_END = datetime(9999, 12, 28, tzinfo=UTC)


def _package(kind: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("p")
    if kind == "deadline":
        p.start("s").activity("work", performer="clerk", deadlines=[("P5D", "Late")]).end("e")
        p.sequence("s", "work", "e")
    elif kind == "computed deadline":  # 3 days in seconds: due at 9999-12-31T00:00Z
        p.data_field("secs", "INTEGER", initial="259200")
        p.start("s").activity("work", performer="clerk", deadlines=[("secs", "Late")]).end("e")
        p.sequence("s", "work", "e")
    elif kind == "timer event":
        p.start("s").intermediate("t", timer="P5D").activity("work", performer="clerk")
        p.end("e").sequence("s", "t", "work", "e")
    else:  # a repeating non-interrupting boundary timer
        p.start("s").activity("work", performer="clerk").end("e").sequence("s", "work", "e")
        p.intermediate("b", timer="R/P5D", attached_to="work", interrupting=False)
        p.activity("x").end("e2").sequence("b", "x", "e2")
    return pb


@pytest.mark.parametrize("kind", ["deadline", "computed deadline", "timer event", "cycle"])
def test_a_timer_past_the_end_of_time_is_an_incident_when_set(kind: str) -> None:
    engine = Engine(clock=VirtualClock(NEAR_THE_END))
    try:
        engine.deploy(_package(kind).build())
        iid = engine.start_process("p", {})
        assert str(engine.instance(iid).state) == "open.running"
        assert engine.timers(iid) == []
        [incident] = engine.incidents(iid)
        assert "9999-12-31T00:00:00+00:00, where the engine's time ends" in incident.message
    finally:
        engine.close()


def test_due_after_is_none_where_the_engine_s_time_ends() -> None:
    assert due_after(NEAR_THE_END, timedelta(days=2)) == datetime(9999, 12, 30, tzinfo=UTC)
    assert due_after(NEAR_THE_END, timedelta(days=3)) is None  # (the last moment itself)
    assert due_after(NEAR_THE_END, timedelta(days=5)) is None  # (past what a datetime holds)


@pytest.mark.parametrize("rule", ["wfengine:reminder-after", "wfengine:escalate-after"])
def test_a_reminder_past_the_end_of_time_is_not_set_and_the_work_is_offered(rule: str) -> None:
    """A reminder has no incident of its own to open: one that would fall past the end of the
    engine's time is simply not set (it would never come due), and the work is offered."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("p")
    p.start("s").activity("work", performer="clerk", extended={rule: "P5D"}).end("e")
    p.sequence("s", "work", "e")
    engine = Engine(clock=VirtualClock(NEAR_THE_END))
    try:
        engine.deploy(pb.build())
        iid = engine.start_process("p", {})
        assert [item.activity_id for item in engine.work_items(iid)] == ["work"]
        assert engine.jobs(iid) == []
        assert engine.incidents(iid) == []
    finally:
        engine.close()


def test_a_virtual_clock_stops_short_of_where_the_engine_s_time_ends() -> None:
    """What waits for ever (an escalation parked on its incident) is parked at the last
    moment: a clock moved there fired it about 10,000 times."""
    with pytest.raises(ValueError, match="where the engine's time ends"):
        VirtualClock(datetime(9999, 12, 31, tzinfo=UTC))
    clock = VirtualClock(NEAR_THE_END)
    with pytest.raises(ValueError, match=r"VirtualClock.set: 9999-12-31T00:00:00\+00:00 is at"):
        clock.advance(timedelta(days=3))
    assert clock.now() == NEAR_THE_END
    clock.advance(timedelta(days=2, hours=23))


def test_a_job_parked_on_its_incident_is_never_due() -> None:
    """``next_due_at()`` said 9999-12-31 for an escalation parked on its incident, and a host
    (or the simulator) setting its clock to the next due time was then refused."""
    from wfengine import Organisation

    org = Organisation.from_data({"users": [{"id": "carol", "roles": ["manager"]}]})
    clock = VirtualClock()
    engine = Engine(clock=clock, directory=org)
    pb = PackageBuilder("pkg")
    pb.process("p").activity(
        "decide", performer="manager", extended={"wfengine:escalate-after": "PT1H"}
    )
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    clock.advance(timedelta(hours=1))
    engine.run_due_jobs()
    assert [i.operation for i in engine.incidents(iid)] == ["job"]  # (escalating to no one)
    assert engine.next_due_at() is None


def test_advancing_a_virtual_clock_past_what_a_datetime_holds_says_where_time_ends() -> None:
    clock = VirtualClock(datetime(2030, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match=r"VirtualClock.advance: .* where the engine's time ends"):
        clock.advance(timedelta(days=3_000_000))  # (a bare OverflowError before)
    assert clock.now() == datetime(2030, 1, 1, tzinfo=UTC)
