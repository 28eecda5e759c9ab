"""A transition into a start event or out of an end event is an error (``event-flow``), naming
the transition, and deploy refuses it. Before, both validated clean: the end event passed its
token on (the instance ran past it) and the start event ran again as a plain step."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import DeployError


def _errors(package: Package) -> list[tuple[str, str | None]]:
    return [(d.code, d.element_id) for d in validate(package) if d.severity is Severity.ERROR]


def _refused(package: Package) -> bool:
    try:
        Engine().deploy(package, check_bindings=False)
    except DeployError:
        return True
    return False


def test_a_transition_out_of_an_end_event_is_an_error_naming_it() -> None:
    b = PackageBuilder("p")
    p = b.process("P")
    p.start("s").activity("a").end("e").activity("b").end("e2")
    p.sequence("s", "a", "e").transition("e", "b", id="out").transition("b", "e2")
    package = b.build()
    assert _errors(package) == [("event-flow", "out")]
    assert _refused(package)


def test_a_transition_into_a_start_event_is_an_error_naming_it() -> None:
    b = PackageBuilder("p")
    p = b.process("P")
    p.start("s").route("r").activity("a").end("e")
    p.sequence("s", "r", "a", "e").transition("a", "s", id="back", condition="false")
    package = b.build()
    assert _errors(package) == [("event-flow", "back")]
    assert _refused(package)


def test_inside_an_activity_set_too() -> None:
    b = PackageBuilder("p")
    p = b.process("P")
    inner = p.activity_set("S")
    inner.start("is").activity("x").end("ie").sequence("is", "x", "ie").transition("ie", "x")
    p.start("s").block("blk", activity_set="S").end("e").sequence("s", "blk", "e")
    found: list[Diagnostic] = [d for d in validate(b.build()) if d.code == "event-flow"]
    assert [d.severity for d in found] == [Severity.ERROR]
    assert "activity set 'S'" in found[0].message


def test_starts_and_ends_joined_only_the_right_way_are_fine() -> None:
    b = PackageBuilder("p")
    p = b.process("P")
    p.start("s").activity("a").end("e").sequence("s", "a", "e")
    assert [d for d in validate(b.build()) if d.code == "event-flow"] == []
