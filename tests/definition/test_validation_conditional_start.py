"""A Conditional start event of a process is warned about: nothing ever starts an instance
there on its condition."""

from __future__ import annotations

from wfengine import PackageBuilder, Severity, validate


def test_a_conditional_start_event_is_warned_about() -> None:
    pb = PackageBuilder("pkg")
    q = pb.process("on_level")
    q.data_field("level", "INTEGER", initial="0")
    q.start("high", condition="level > 5").activity("alert").transition("high", "alert")
    (finding,) = [f for f in validate(pb.build()) if f.code == "event-trigger"]
    assert finding.severity is Severity.WARNING
    assert finding.element_id == "high" and "start condition" in finding.message
