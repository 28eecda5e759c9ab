"""A repeating timer cycle whose expression gives a moment is refused when it is armed.

``R3/when`` with ``when`` a DATETIME field fired once at that moment, then re-arming it
opened an incident saying "a repeating timer cycle needs an interval above zero; it gave
0:00:00", which names neither the value nor what to write. A moment says when, not how
often: arming refuses it, naming the value and saying a cycle needs a duration."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


def _cycle(timer: str, kind: str) -> PackageBuilder:
    """Work with a non-interrupting boundary timer ``timer`` over a ``kind`` field ``when``,
    whose path counts its firings in ``n``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("when", kind).data_field("n", "INTEGER", initial="0")
    p.start("s").activity("work", performer="clerk").end("e")
    p.intermediate("b", timer=timer, attached_to="work", interrupting=False)
    p.activity("count", script="n = n + 1").end("e2")
    p.sequence("s", "work", "e").sequence("b", "count", "e2")
    return pb


@pytest.mark.parametrize(
    ("timer", "kind", "when", "shown"),
    [
        ("R3/when", "DATETIME", datetime(2030, 1, 1, 11, tzinfo=UTC), "2030-01-01T11:00:00+00:00"),
        ("R/when", "DATE", date(2030, 1, 2), "2030-01-02"),
    ],
)
def test_a_cycle_giving_a_moment_is_an_incident_naming_it_not_one_firing(
    engine: Engine, clock: VirtualClock, timer: str, kind: str, when: Any, shown: str
) -> None:
    clock.set(datetime(2030, 1, 1, 9, tzinfo=UTC))
    iid = run(engine, _cycle(timer, kind), data={"when": when})
    assert engine.timers(iid) == []
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "b"
    assert f"gave {shown}, a moment" in incident.message
    assert (
        f"repeating cycle ({timer[: timer.index('/') + 1]}...) needs a duration" in incident.message
    )
    clock.advance(timedelta(days=2))
    assert engine.instance(iid).data["n"] == 0  # it never fired as a one-off either


def test_a_timer_cycle_that_does_not_repeat_may_still_give_a_moment(
    engine: Engine, clock: VirtualClock
) -> None:
    clock.set(datetime(2030, 1, 1, 9, tzinfo=UTC))
    iid = run(
        engine, _cycle("when", "DATETIME"), data={"when": datetime(2030, 1, 1, 11, tzinfo=UTC)}
    )
    [timer] = engine.timers(iid)
    assert timer.due == datetime(2030, 1, 1, 11, tzinfo=UTC)
    clock.advance(timedelta(hours=3))
    assert engine.instance(iid).data["n"] == 1
    assert engine.incidents(iid) == []


def test_an_event_subprocess_cycle_giving_a_moment_is_refused_too(
    engine: Engine, clock: VirtualClock
) -> None:
    """The event sub-process's timer took the moment, as the boundary timer's did."""
    clock.set(datetime(2030, 1, 1, 9, tzinfo=UTC))
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("when", "DATETIME").data_field("pings", "INTEGER", initial="0")
    p.start("s").activity("work", performer="clerk").end("done")
    p.sequence("s", "work", "done")
    sub = p.activity_set("reaction", triggered_by_event=True)
    sub.start("caught", interrupting=False, timer="R3/when")
    sub.activity("ping", script="pings = pings + 1").end("handled")
    sub.sequence("caught", "ping", "handled")
    p.block("on_event", activity_set="reaction")
    iid = run(engine, pb, data={"when": datetime(2030, 1, 1, 11, tzinfo=UTC)})
    assert engine.timers(iid) == []
    [incident] = engine.incidents(iid)
    assert "gave 2030-01-01T11:00:00+00:00, a moment" in incident.message
    assert "repeating cycle (R3/...) needs a duration" in incident.message
    clock.advance(timedelta(days=2))
    assert engine.instance(iid).data["pings"] == 0
