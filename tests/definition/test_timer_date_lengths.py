"""A length of time written in a timer's ``TimeDate`` (``PT2H``: a common BPMN slip) is an
``expression-syntax`` error saying a length is written where a moment belongs and what to
write, as a date in a ``TimeCycle`` is. It validated with only an unknown-name warning and
deployed, and every instance then stopped at the timer on "unknown variable 'PT2H'"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.definition.timer_packages import errors, waiting_until
from wfengine import Engine, VirtualClock, validate
from wfengine.errors import DeployError

_START = datetime(2030, 1, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize("boundary", [False, True], ids=["intermediate", "boundary"])
@pytest.mark.parametrize(
    ("at", "advice"),
    [
        ("PT2H", "write it as the timer's TimeCycle"),
        ("pt30m", "now() + timedelta(minutes=30)"),
        ("P1DT12H", "now() + timedelta(days=1, hours=12)"),
        ("2 hours", "now() + timedelta(hours=2)"),
        ("1h 30min", "now() + timedelta(hours=1, minutes=30)"),
        ("P1M", "no timer waits for (it counts months or years)"),
        ("P36600D", "no timer waits for (it is longer than the engine waits, at most 36,500"),
        ("R/PT1H", "write R/PT1H as the timer's TimeCycle"),
        ("R3/PT10M", "to wait PT10M from when the timer is set"),
    ],
)
def test_a_length_of_time_in_a_timer_date_is_an_error_saying_what_to_write(
    at: str, advice: str, boundary: bool
) -> None:
    package = waiting_until(at, boundary=boundary)
    assert errors(package) == [("expression-syntax", "t")]
    [finding] = [d for d in validate(package) if d.code == "expression-syntax"]
    assert f"the timer date of activity 't' in process 'main' is {at!r}" in finding.message
    assert "it is a length of time, where a moment belongs" in finding.message
    # (a length no TimeCycle waits for either is not sent there)
    assert ("TimeCycle" in finding.message) is not advice.startswith("no timer")
    assert advice in finding.message
    assert not [d for d in validate(package) if d.code == "expression-unknown-name"]
    with Engine() as engine, pytest.raises(DeployError, match="a length of time"):
        engine.deploy(package)


def test_the_moment_the_error_suggests_waits_that_long() -> None:
    """The advice is an expression the engine runs: ``now() + timedelta(hours=2)`` in the
    TimeDate is due two hours after the timer is set."""
    [finding] = [d for d in validate(waiting_until("PT2H")) if d.code == "expression-syntax"]
    suggested = finding.message.rsplit("such as ", 1)[1]
    assert suggested == "now() + timedelta(hours=2)"
    with Engine(clock=VirtualClock(_START)) as engine:
        engine.deploy(waiting_until(suggested))
        iid = engine.start_process("main")
        [timer] = engine.timers(iid)
        assert timer.due == _START + timedelta(hours=2)
        assert engine.incidents(iid) == []


def test_a_data_field_named_as_a_duration_is_still_a_moment() -> None:
    """A field may be called ``PT2H`` (as a deadline's ``PT1H30`` may name one): the text
    names it, so it is read as the field's value."""
    package = waiting_until("PT2H", field="PT2H")
    assert errors(package) == []
    with Engine(clock=VirtualClock(_START)) as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        [timer] = engine.timers(iid)
        assert timer.due == datetime(2030, 1, 5, tzinfo=UTC)
