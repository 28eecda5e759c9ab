"""Reminders wait no longer than deadlines and timers: one limit (``LONGEST_WAIT``, 100 years,
``RuntimeLimits.max_deadline``'s default). Before, a reminder or escalation interval could be
up to 1,000 years (what a duration literal reads to), and one longer than that was refused as
"no duration above zero"."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.durations import too_long_to_remind, too_long_to_wait
from wfengine.definition.model import Package
from wfengine.definition.work_rules import REMINDER_DURATIONS
from wfengine.errors import DeployError

#: literals just past the limit, far past it, and past what a duration literal reads to
TOO_LONG = ["P36600D", "36501 days", "P5300W", "P400000D", "P99999999999D"]


def _with_attribute(name: str, value: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("review", performer="clerk")
    p.activity("approve", performer="clerk", extended={name: value})
    p.transition("review", "approve")
    return pb.build()


@pytest.mark.parametrize("value", TOO_LONG)
@pytest.mark.parametrize("name", REMINDER_DURATIONS)
def test_a_reminder_longer_than_the_engine_waits_is_refused_at_validation_and_deploy(
    name: str, value: str
) -> None:
    package = _with_attribute(name, value)
    (finding,) = [d for d in validate(package) if d.severity.value == "error"]
    assert finding.code == "reminder-duration" and finding.element_id == "approve"
    assert name in finding.message and repr(value) in finding.message
    assert "longer than the engine waits (at most 36,500 days, 100 years" in finding.message
    with pytest.raises(DeployError, match="reminder-duration"):
        Engine().deploy(package, strict=True)


@pytest.mark.parametrize("value", ["P36500D", "36500 days", "P1D"])
@pytest.mark.parametrize("name", REMINDER_DURATIONS)
def test_a_reminder_up_to_the_limit_deploys(name: str, value: str) -> None:
    package = _with_attribute(name, value)
    assert [d for d in validate(package) if d.severity.value == "error"] == []
    assert Engine().deploy(package, strict=True)


@pytest.mark.parametrize(
    "text", [*TOO_LONG, "P36500D", "36500 days", "PT1H", "soon", "P1M", "days * 2"]
)
def test_reminders_deadlines_and_timers_refuse_the_same_literals(text: str) -> None:
    assert (too_long_to_remind(text) is None) is (too_long_to_wait(text) is None)
