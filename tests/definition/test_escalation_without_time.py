"""``wfengine:escalate-to`` without ``wfengine:escalate-after`` is a warning
(``escalation-without-time``): nothing ever escalates such work, and the definition said
nothing about it (a deploy succeeded with no finding)."""

from __future__ import annotations

from wfengine import PackageBuilder, validate


def _codes(extended: dict[str, str]) -> list[str]:
    pb = PackageBuilder("desk")
    pb.participant("clerk")
    pb.participant("boss")
    pb.process("ticket").activity("answer", performer="clerk", extended=extended)
    return [d.code for d in validate(pb.build())]


def test_escalate_to_alone_is_a_warning() -> None:
    assert "escalation-without-time" in _codes({"wfengine:escalate-to": "boss"})


def test_escalate_to_with_its_time_is_not() -> None:
    both = {"wfengine:escalate-to": "boss", "wfengine:escalate-after": "PT8H"}
    assert "escalation-without-time" not in _codes(both)
    assert "escalation-without-time" not in _codes({"wfengine:escalate-after": "PT8H"})
