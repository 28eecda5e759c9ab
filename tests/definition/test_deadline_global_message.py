"""``expression-foreign`` for a language global (JavaScript's ``Math``, ``undefined``) in a
deadline's duration says what the engine does: the text is read and fails on the name, so
``deadline.invalid`` is audited and an incident opened before the activity's work begins. It
once kept the generic ending alone, and the unread-text ending ('sets no timer ... runs on')
would be untrue here."""

from __future__ import annotations

import pytest

from tests.definition.test_deadline_foreign_message import _package
from wfengine import Engine, VirtualClock, validate


@pytest.mark.parametrize("duration", ["amount * Math.PI", "undefined", "amount + Infinity"])
def test_a_global_in_a_deadline_duration_is_said_to_stop_the_activity(duration: str) -> None:
    package = _package(duration)
    (finding,) = [d for d in validate(package) if d.code == "expression-foreign"]
    assert finding.element_id == "review"
    assert finding.message.startswith("a deadline duration of activity 'review'")
    assert finding.message.endswith(
        "the deadline cannot be set: an instance reaching it records deadline.invalid in its "
        "audit trail and stops with an incident before the activity's work begins"
    )
    assert "runs on" not in finding.message
    # which is what the engine does
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    instance = engine.create_instance("wp", data={"amount": 5})
    engine.start(instance)
    kinds = [event.kind for event in engine.audit(instance)]
    assert "deadline.invalid" in kinds and "incident.opened" in kinds
    (incident,) = engine.incidents(instance)
    assert "activity 'review', deadline 1 duration" in incident.message


def test_a_global_in_a_condition_still_says_the_instance_stops_with_an_incident() -> None:
    package = _package("P1D", condition="amount &gt; Math.PI")
    (finding,) = [d for d in validate(package) if d.code == "expression-foreign"]
    assert finding.message.startswith("the condition of transition 't'")
    assert finding.message.endswith(
        "uses JavaScript's 'Math', which wfengine's reading of "
        "JavaScript does not provide (in 'amount > Math.PI'); an "
        "instance reaching it stops with an incident"
    )
