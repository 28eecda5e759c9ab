"""Intermediate timer events in the flow: the thread waits for the time, then goes on
(issue 11, item 1: TimeCycle durations and numbers, TimeDate moments, expressions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock, load_xpdl
from wfengine.definition.model import Activity, Event, EventPosition, XmlNode

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "xpdl"
XPDL = "{http://www.wfmc.org/2008/XPDL2.1}"


def _timer(id: str, **times: str) -> Activity:
    children = tuple(XmlNode(tag=XPDL + name, text=text) for name, text in times.items())
    trigger = XmlNode(tag=XPDL + "TriggerTimer", children=children)
    body = Event(position=EventPosition.INTERMEDIATE, trigger="Timer", detail=(trigger,))
    return Activity(id=id, body=body)


def _waiting(**times: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("wait", "INTEGER", initial="600")
    p.activity("before")
    p.add_activity(_timer("pause", **times))
    p.activity("after")
    p.transition("before", "pause").transition("pause", "after")
    return pb


def test_a_duration_waits_then_goes_on(engine: Engine, clock: VirtualClock) -> None:
    iid = run(engine, _waiting(TimeCycle="PT2H"))
    assert engine.trace(iid) == ["before"]
    [timer] = engine.timers(iid)
    assert timer.due == clock.now() + timedelta(hours=2)
    clock.advance(timedelta(hours=1, minutes=59))
    assert engine.trace(iid) == ["before"]
    clock.advance(timedelta(minutes=1))
    assert engine.trace(iid) == ["before", "pause", "after"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert ("timer.fired", "pause") in [(x.kind, x.activity_id) for x in engine.audit(iid)]


@pytest.mark.parametrize(
    ("times", "after"),
    [
        ({"TimeCycle": "R3/PT1H"}, timedelta(hours=1)),  # a repeating cycle: one interval
        ({"TimeCycle": "100"}, timedelta(seconds=100)),  # a number: seconds (TIBCO writes it)
        ({"TimeCycle": "wait * 2"}, timedelta(seconds=1200)),  # an expression over the data
        ({"TimeDate": "2031-05-01T12:00:00Z"}, None),  # a moment
        ({}, timedelta(0)),  # no time named: at once
    ],
)
def test_the_ways_a_time_is_written(
    engine: Engine, clock: VirtualClock, times: dict[str, str], after: timedelta | None
) -> None:
    start = clock.now()
    iid = run(engine, _waiting(**times))
    if after == timedelta(0):
        clock.advance(timedelta(0))
        assert engine.trace(iid) == ["before", "pause", "after"]
        return
    [timer] = engine.timers(iid)
    expected = start + after if after is not None else datetime(2031, 5, 1, 12, tzinfo=UTC)
    assert timer.due == expected


def test_an_expression_that_gives_no_time_is_an_incident(engine: Engine) -> None:
    iid = run(engine, _waiting(TimeCycle="'soon' if wait else 'later'"))
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "pause" and "timer event" in incident.message


def test_a_time_from_data_where_the_engine_s_time_ends_is_an_incident(engine: Engine) -> None:
    # 9999-12-31T23:00-05:00 is in the year 10000 in UTC: no store can hold it (SQLite's
    # start_process died with a bare OverflowError); the timer event gets an incident
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("when", "DATETIME")
    p.activity("before")
    p.add_activity(_timer("pause", TimeDate="when"))
    p.activity("after")
    p.transition("before", "pause").transition("pause", "after")
    iid = run(engine, pb, data={"when": "9999-12-31T23:00:00-05:00"})
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "pause" and "where the engine's time ends" in incident.message
    assert engine.timers(iid) == []


def test_tibco_delay_event_runs_to_completion() -> None:
    path = CORPUS / "tibco-business-studio" / "Two_tasks_and_delay_event.xpdl"
    if not path.exists():
        pytest.skip(f"the conformance corpus is not beside the project ({path})")
    package = load_xpdl(path)
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        e.deploy(package)
        iid = e.start_process(package.workflow_processes[0].id)
        for _ in range(10):
            for item in e.work_items(iid):
                e.complete_work_item(item.id)
            clock.advance(timedelta(seconds=100))
        assert e.instance(iid).state is ProcessState.COMPLETED
        assert "timer.fired" in [x.kind for x in e.audit(iid)]
