"""One limit on how long the engine waits, for literals and expressions alike
(``RuntimeLimits.max_deadline``, 100 years by default): a literal deadline or timer cycle
longer than the engine's limit was armed (``P36600D``: due in 2130) where the same length
computed by an expression was an incident."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.durations import LONGEST_WAIT, too_long_to_wait
from wfengine.runtime.limits import RuntimeLimits

MONTH = RuntimeLimits(max_deadline=timedelta(days=30))


def _deadline(duration: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("days", "INTEGER", initial="60")
    p.start("s").activity("work", performer="clerk", deadlines=[(duration, "Late")])
    p.activity("late").end("e").end("e2")
    p.sequence("s", "work", "e").transition("work", "late", exception="Late")
    p.sequence("late", "e2")
    return pb


def _cycle(cycle: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk").end("e")
    p.intermediate("nudge", attached_to="work", timer=cycle, interrupting=False)
    p.activity("ping").end("e2")
    p.sequence("s", "work", "e").sequence("nudge", "ping", "e2")
    return pb


@pytest.mark.parametrize("duration", ["P60D", "60 days", "timedelta(days=days)"])
def test_a_deadline_longer_than_the_engine_waits_is_an_incident_literal_or_computed(
    duration: str,
) -> None:
    with Engine(clock=VirtualClock(), limits=MONTH) as engine:
        iid = run(engine, _deadline(duration))
        assert engine.timers(iid) == []
        [incident] = engine.incidents(iid)
        assert incident.activity_id == "work"
        assert "60 days" in incident.message and "30" in incident.message


def test_a_timer_cycle_longer_than_the_engine_waits_is_an_arm_incident() -> None:
    with Engine(clock=VirtualClock(), limits=MONTH) as engine:
        iid = run(engine, _cycle("R/P60D"))
        assert engine.timers(iid) == []
        [incident] = engine.incidents(iid)
        assert incident.operation == "arm"
        assert "60 days is longer than the engine waits" in incident.message


def test_a_wait_up_to_the_limit_is_armed() -> None:
    with Engine(clock=VirtualClock(), limits=MONTH) as engine:
        iid = run(engine, _deadline("P30D"))
        assert len(engine.timers(iid)) == 1
        assert engine.incidents(iid) == []


def test_the_engine_s_limit_is_the_longest_wait_by_default() -> None:
    assert RuntimeLimits().max_deadline == LONGEST_WAIT == timedelta(days=36_500)


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("P36500D", False),
        ("36500 days", False),
        ("PT1H", False),
        ("days * 2", False),  # an expression: its value is checked when the timer is armed
        ("P36501D", True),
        ("36600 days", True),
        ("P3000000D", True),  # longer than parse_duration reads: not a field named P3000000D
        ("P99999999999D", True),  # longer than a timedelta holds
    ],
)
def test_which_literals_are_too_long_to_wait(text: str, refused: bool) -> None:
    why = too_long_to_wait(text)
    assert (why is not None) is refused
    if why is not None:
        assert "36,500 days, 100 years" in why


@pytest.mark.parametrize("duration", ["P36600D", "36600 days", "P3000000D"])
def test_a_literal_deadline_longer_than_any_wait_is_refused_at_validation_and_deploy(
    duration: str,
) -> None:
    from wfengine import validate
    from wfengine.errors import DeployError

    package = _deadline(duration).build()
    (finding,) = [d for d in validate(package) if d.severity.value == "error"]
    assert finding.code == "expression-syntax" and "36,500 days" in finding.message
    with Engine() as e, pytest.raises(DeployError, match="longer than a deadline or timer may"):
        e.deploy(package, strict=True)


HOUR = RuntimeLimits(max_deadline=timedelta(hours=1))


def test_a_literal_deadline_over_the_limit_names_where_it_is_as_other_timer_incidents_do() -> None:
    """A literal deadline's incident read only "a wait of 0 days 2:00:00 is longer than the
    engine waits (at most 0 days 1:00:00: ...)": it now names its instance, process,
    activity and deadline, as a computed one's does, and writes the lengths as PT2H."""
    with Engine(clock=VirtualClock(), limits=HOUR) as engine:
        iid = run(engine, _deadline("PT2H"))
        [incident] = engine.incidents(iid)
        assert incident.message == (
            f"instance {iid!r}, process 'main', activity 'work', deadline 1 duration: a wait "
            "of PT2H is longer than the engine waits (at most PT1H: RuntimeLimits.max_deadline)"
        )


def test_a_literal_timer_event_over_the_limit_names_where_it_is() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").intermediate("pause", timer="PT90M").end("e")
    p.sequence("s", "pause", "e")
    with Engine(clock=VirtualClock(), limits=HOUR) as engine:
        iid = run(engine, pb)
        [incident] = engine.incidents(iid)
        assert incident.message == (
            f"instance {iid!r}, process 'main', activity 'pause', timer cycle: a wait of "
            "PT1H30M is longer than the engine waits (at most PT1H: RuntimeLimits.max_deadline)"
        )
