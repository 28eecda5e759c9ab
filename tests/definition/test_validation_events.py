"""``event-trigger``: an intermediate event in the flow whose trigger the engine cannot run
is a warning at validation (it validated clean, and every instance reaching it then stopped
with an incident); the triggers it runs validate clean."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Activity, Event, EventPosition


def _flow(trigger: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="1")
    # as a model: the builder refuses a trigger XPDL 2.2 does not name, a file need not
    event = Event(position=EventPosition.INTERMEDIATE, trigger=trigger)
    p.start("s").add_activity(Activity(id="w", body=event)).end("e")
    p.sequence("s", "w", "e")
    return pb


# (a trigger that is no XPDL value, ``Mesage``, is unread-flow's error: test_unread_flow.py)
@pytest.mark.parametrize("trigger", ["Rule", "Multiple", "Compensation", "Conditional"])
def test_an_event_the_engine_cannot_run_in_the_flow_is_a_warning(trigger: str) -> None:
    pb = _flow(trigger)
    (finding,) = validate(pb.build())
    assert finding.code == "event-trigger" and finding.severity is Severity.WARNING
    assert finding.element_id == "w" and "stops with an incident" in finding.message
    with Engine() as engine:  # a warning: it deploys, and the instance does stop there
        engine.deploy(pb.build())
        iid = engine.start_process("main")
        [incident] = engine.incidents(iid)
        assert incident.activity_id == "w"


@pytest.mark.parametrize(
    "options",
    [
        {"timer": "PT1H"},
        {"message": "m"},
        {"signal": "go"},
        {"condition": "x > 0"},
    ],
    ids=["timer", "message", "signal", "condition"],
)
def test_the_events_the_engine_runs_in_the_flow_validate_clean(options: dict[str, str]) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="1")
    p.start("s").intermediate("w", **options).end("e")  # type: ignore[arg-type]
    p.sequence("s", "w", "e")
    assert [d.code for d in validate(pb.build())] == []
