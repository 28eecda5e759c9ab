"""A cycle whose only way out is a non-interrupting attached event has no exit: the token
stays in the cycle while the event's way runs beside it."""

from __future__ import annotations

from wfengine import PackageBuilder, validate
from wfengine.definition.diagnostics import Severity


def _codes(builder: PackageBuilder) -> list[tuple[str, Severity, str | None]]:
    return [(d.code, d.severity, d.element_id) for d in validate(builder.build())]


def _loop(interrupting: bool, terminate: bool = False) -> PackageBuilder:
    """a -> b -> a, whose only way out is a timer attached to b leading to an end."""
    b = PackageBuilder("p")
    b.participant("c")
    p = b.process("P")
    p.start("s").activity("a", performer="c").activity("b", performer="c")
    p.end("e", terminate=terminate)
    p.intermediate("bt", trigger="Timer", timer="PT1H", attached_to="b", interrupting=interrupting)
    p.sequence("s", "a", "b", "a").transition("bt", "e")
    return b


def test_a_loop_left_only_by_a_non_interrupting_event_has_no_exit() -> None:
    assert ("cycle-no-exit", Severity.ERROR, "a") in _codes(_loop(interrupting=False))


def test_a_loop_left_by_an_interrupting_event_is_fine() -> None:
    assert "cycle-no-exit" not in [c for c, _, _ in _codes(_loop(interrupting=True))]


def test_a_non_interrupting_way_to_a_terminate_end_ends_the_loop() -> None:
    codes = [c for c, _, _ in _codes(_loop(interrupting=False, terminate=True))]
    assert "cycle-no-exit" not in codes
