"""A transition may not lead into an attached (boundary) event: the engine would run it at
once as a plain step and again later as the attached event."""

from __future__ import annotations

from wfengine import PackageBuilder, validate
from wfengine.definition.diagnostics import Severity


def _codes(builder: PackageBuilder) -> list[tuple[str, Severity, str | None]]:
    return [(d.code, d.severity, d.element_id) for d in validate(builder.build())]


def test_a_transition_into_an_attached_event_is_an_error() -> None:
    b = PackageBuilder("p")
    b.participant("c")
    p = b.process("P")
    p.start("s").route("fork", gateway="Parallel").activity("a", performer="c")
    p.intermediate("bt", trigger="Timer", timer="PT1H", attached_to="a")
    p.end("e").end("e2")
    p.sequence("s", "fork", "a", "e").transition("fork", "bt").transition("bt", "e2")
    found = [d for d in validate(b.build()) if d.code == "boundary-target"]
    assert [(d.severity, d.element_id) for d in found] == [(Severity.ERROR, "bt")]
    assert "lead into it" in found[0].message


def test_an_attached_event_with_only_a_way_out_is_fine() -> None:
    b = PackageBuilder("p")
    b.participant("c")
    p = b.process("P")
    p.start("s").activity("a", performer="c")
    p.intermediate("bt", trigger="Timer", timer="PT1H", attached_to="a")
    p.end("e").end("e2")
    p.sequence("s", "a", "e").transition("bt", "e2")
    assert _codes(b) == []
