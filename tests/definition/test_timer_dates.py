"""A timer's ``TimeDate`` is a moment: an ISO 8601 date-time, or an expression giving one.

A date mistyped so that ISO 8601 does not read it (``2030-1-5``, ``2024-13-45``) was read as
an expression, a subtraction (``2030-1-5`` is 2024), and the number taken as seconds from now:
the timer fired within the hour instead of on the date. Now such a text refuses the deploy
(naming why), a date written where a duration belongs does too, and a ``TimeDate`` expression
that gives anything but a date-time is an incident on the timer rather than a wait of so many
seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.definition.timer_packages import waiting_until
from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.build_arguments import deadline
from wfengine.definition.model import Package
from wfengine.definition.reading import (
    ReadKind,
    UnreadDurationError,
    read_duration,
    read_moment,
)
from wfengine.errors import DeployError
from wfengine.expressions import Language
from wfengine.runtime.compiler import compile_process


def _waiting_until(at: str, *, boundary: bool = False) -> Package:
    return waiting_until(at, boundary=boundary, wait="600")


@pytest.mark.parametrize(
    ("at", "why"),
    [
        ("2030-1-5", "write the month and day with two digits: 2030-01-05"),
        ("2024-13-45", "it is no date (month must be in 1..12)"),
        ("2030-02-30", "it is no date (day is out of range for month)"),
        ("2030-1-5T09:00:00Z", "2030-01-05T09:00:00Z with a time"),
    ],
)
def test_a_timer_date_that_is_no_iso_date_refuses_the_deploy_naming_why(at: str, why: str) -> None:
    reading = read_moment(at, Language.NATIVE)
    assert reading.kind is ReadKind.UNPARSEABLE and reading.refused
    assert isinstance(reading.error, UnreadDurationError) and why in reading.error.message
    for boundary in (False, True):
        package = _waiting_until(at, boundary=boundary)
        with pytest.raises(DeployError, match="timer date") as raised:
            compile_process(package, package.workflow_processes[0])
        assert why in str(raised.value)
        with Engine(clock=VirtualClock()) as engine, pytest.raises(DeployError):
            engine.deploy(package)


@pytest.mark.parametrize("text", ["2030-1-5", "2030-01-05", "2026-01-01T00:00:00Z"])
def test_a_date_where_a_duration_belongs_is_refused_not_subtracted(text: str) -> None:
    reading = read_duration(text, Language.NATIVE)
    assert isinstance(reading.error, UnreadDurationError) and reading.refused
    assert "written as a date, where a length of time belongs" in reading.error.message
    pb = PackageBuilder("pk")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk", deadlines=[deadline(text, "late")])
    p.end("e")
    p.sequence("s", "work", "e")
    with Engine(clock=VirtualClock()) as engine, pytest.raises(DeployError, match="as a date"):
        engine.deploy(pb.build())


@pytest.mark.parametrize("text", ["3600-60", "wait - 5", "2030 - 1 - 5 + when"])
def test_arithmetic_that_is_not_written_as_a_date_is_still_read(text: str) -> None:
    assert read_duration(text, Language.NATIVE).kind is ReadKind.EXPRESSION
    assert read_moment(text, Language.NATIVE).kind is ReadKind.EXPRESSION


@pytest.mark.parametrize("at", ["wait", "100-1", "timedelta(hours=1)"])
def test_a_timer_date_expression_that_gives_no_date_time_is_an_incident(at: str) -> None:
    clock = VirtualClock()
    with Engine(clock=clock) as engine:
        engine.deploy(_waiting_until(at))
        iid = engine.start_process("main")
        clock.advance(timedelta(hours=1))
        assert engine.trace(iid) == ["s"]
        [incident] = engine.incidents(iid)
        assert incident.activity_id == "t"
        assert "not a date-time (a TimeDate is a moment" in incident.message
        assert engine.timers(iid) == []


def test_a_boundary_timer_date_that_gives_no_date_time_is_an_arm_incident() -> None:
    clock = VirtualClock()
    with Engine(clock=clock) as engine:
        engine.deploy(_waiting_until("wait", boundary=True))
        iid = engine.start_process("main")
        [incident] = engine.incidents(iid)
        assert (incident.activity_id, incident.operation) == ("t", "arm")
        assert "not a date-time" in incident.message


@pytest.mark.parametrize(
    ("at", "due"),
    [
        ("2030-01-05", datetime(2030, 1, 5, tzinfo=UTC)),  # a literal
        ("when", datetime(2030, 1, 5, tzinfo=UTC)),  # an expression giving a moment
        ("datetime(2031, 2, 3)", datetime(2031, 2, 3, tzinfo=UTC)),
    ],
)
def test_a_timer_date_waits_for_its_moment(at: str, due: datetime) -> None:
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(_waiting_until(at))
        iid = engine.start_process("main")
        [timer] = engine.timers(iid)
        assert timer.due == due and engine.incidents(iid) == []


def test_a_bare_number_in_a_timer_date_is_still_seconds() -> None:
    clock = VirtualClock()
    start = clock.now()
    with Engine(clock=clock) as engine:
        engine.deploy(_waiting_until("1000"))  # as TIBCO writes it
        [timer] = engine.timers(engine.start_process("main"))
        assert timer.due == start + timedelta(seconds=1000)
