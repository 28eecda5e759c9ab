"""Timer texts the engine cannot read are refused saying why, not with a misleading reason.

``R/PT1H/2030-01-01T10:00:00Z`` was reported as a Python literal error ("leading zeros in
decimal integer literals"), ``R3/2030-01-01T10:00:00Z/PT1H`` with advice to write an
expression giving a moment (which cannot repeat), and a ``TimeDate`` in the year 1 with an
offset (before the engine's time begins, in UTC) was said to be "at or after 9999-12-31"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.runtime.conftest import run
from wfengine import Severity, validate
from wfengine.definition.build_arguments import deadline
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import DeployError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


def _timer(**timer: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").intermediate("t", **timer).activity("work", performer="clerk").end("e")
    p.sequence("s", "t", "work", "e")
    return pb


def _errors(pb: PackageBuilder) -> list[str]:
    return [d.message for d in validate(pb.build()) if d.severity is Severity.ERROR]


@pytest.mark.parametrize(
    ("cycle", "advice"),
    [
        ("R/PT1H/2030-01-01T10:00:00Z", "write R/PT1H"),
        ("R3/2030-01-01T10:00:00Z/PT1H", "write R/PT1H"),
        ("PT1H/2030-01-01T10:00:00Z", "write R/PT1H"),
        ("R/2030-01-01/2030-01-05", "write a duration"),
    ],
)
def test_an_iso_interval_with_a_start_or_an_end_is_refused_as_such(cycle: str, advice: str) -> None:
    [message] = _errors(_timer(timer=cycle))
    assert f"is {cycle!r}: it is an ISO 8601 interval with a start or an end" in message
    assert advice in message
    assert "leading zeros" not in message and "datetime(2030" not in message
    with pytest.raises(DeployError, match="ISO 8601 interval"):
        Engine(clock=VirtualClock()).deploy(_timer(timer=cycle).build())


def test_a_cycle_dividing_a_duration_is_still_an_expression() -> None:
    pb = _timer(timer="PT2H/2")
    assert _errors(pb) == []


def test_a_timer_date_before_the_engine_s_time_begins_is_refused_naming_that() -> None:
    at = "0001-01-01T00:30:00+01:00"
    [message] = _errors(_timer(at=at))
    assert "before 0001-01-01T00:00:00+00:00, where the engine's time begins" in message
    assert "9999" not in message
    with pytest.raises(DeployError, match="time begins"):
        Engine(clock=VirtualClock()).deploy(_timer(at=at).build())


def test_a_deadline_before_the_engine_s_time_begins_is_an_incident_naming_that(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("when", "DATETIME")
    p.start("s").activity("work", performer="clerk", deadlines=[deadline("when", "late")])
    p.activity("late", performer="boss").end("e").end("e2")
    p.sequence("s", "work", "e").transition("work", "late", exception="late")
    p.sequence("late", "e2")
    year_one = datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    iid = run(engine, pb, data={"when": year_one})
    [incident] = engine.incidents(iid)
    assert "where the engine's time begins" in incident.message
    assert "9999" not in incident.message
