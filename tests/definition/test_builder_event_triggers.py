"""Event triggers and results given to the builder: XPDL's spellings in any case, else refused.

The model keeps a trigger as text, so a misspelt one would build and validate and then do
nothing at run time (an end event with ``result="error"`` never throws)."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.builder import BuildError
from wfengine.definition.model import Event, Route


def _error_in_block(result: str) -> PackageBuilder:
    pb = PackageBuilder("p")
    p = pb.process("m")
    p.start("s").block("b", activity_set="S").end("ok").end("caught")
    p.sequence("s", "b", "ok").transition("b", "caught", default_exception=True)
    inner = p.activity_set("S")
    inner.start("ss").end("boom", result=result).sequence("ss", "boom")
    return pb


def test_an_end_result_in_any_case_is_written_in_xpdl_spelling_and_throws() -> None:
    pkg = _error_in_block("error").build()
    body = pkg.process("m").activity_sets[0].activities[1].body
    assert isinstance(body, Event) and body.trigger == "Error"
    engine = Engine(clock=VirtualClock())
    engine.deploy(pkg)
    iid = engine.start_process("m")
    assert engine.trace(iid)[-1] == "caught"


@pytest.mark.parametrize(
    ("kwargs", "trigger"),
    [
        ({"trigger": "timer", "timer": "PT1H"}, "Timer"),
        ({"trigger": "MESSAGE", "message": "m"}, "Message"),
        ({"trigger": "signal"}, "Signal"),
    ],
)
def test_an_intermediate_trigger_in_any_case_is_canonical(
    kwargs: dict[str, str], trigger: str
) -> None:
    pkg = PackageBuilder("p").process("m").intermediate("x", **kwargs).build()  # type: ignore[arg-type]
    body = pkg.process("m").activity("x").body
    assert isinstance(body, Event) and body.trigger == trigger


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (
            lambda p: p.intermediate("x", trigger="Signl"),
            "intermediate event 'x': unknown trigger 'Signl'; an intermediate event's "
            "trigger is one of: None, Message, Timer",
        ),
        (lambda p: p.start("x", trigger="Bogus"), "start event 'x': unknown trigger 'Bogus'"),
        (lambda p: p.start("x", trigger="Link"), "a start event's trigger is one of"),
        (lambda p: p.end("x", result="Timer"), "end event 'x': unknown result 'Timer'"),
    ],
)
def test_an_unknown_trigger_or_result_is_refused_naming_the_event(make, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BuildError) as caught:
        make(PackageBuilder("p").process("m"))
    assert says in str(caught.value)


def test_terminate_with_result_terminate_in_any_case_agrees() -> None:
    pkg = PackageBuilder("p").process("m").end("x", terminate=True, result="terminate").build()
    body = pkg.process("m").activity("x").body
    assert isinstance(body, Event) and body.is_terminate


def test_an_event_based_gateway_is_named_in_any_case_and_listed_when_wrong() -> None:
    pkg = PackageBuilder("p").process("m").route("g", gateway="eventbased").build()
    body = pkg.process("m").activity("g").body
    assert isinstance(body, Route) and ("ExclusiveType", "Event") in body.extra_attrs
    with pytest.raises(BuildError, match="Complex, EventBased"):
        PackageBuilder("p").process("m").route("g", gateway="event")
