"""``event-gateway-target``: every way of an event-based gateway leads to a catch event that
waits (docs/semantics.md, "Event-based gateways"). A way to an ordinary activity validated
clean, and at run time that activity won the choice at once, every time, so the message way
could never be taken.

The rule's function is called directly here, and through ``validate`` once."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder, dump_xpdl, load_xpdl, validate
from wfengine.definition.checks.context import Context
from wfengine.definition.checks.event_gateways import check_event_gateway_targets
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Activity, Package, TaskImplementation, TaskKind


def _found(package: Package) -> list[Diagnostic]:
    return list(check_event_gateway_targets(Context.build(package)))


def _gateway(add_ways: str) -> Package:
    """``ask`` -> event-based gateway ``gw`` -> ``reply`` (a message catch) and one more way,
    to the activity ``add_ways`` adds as ``other``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("ask").route("gw", gateway="EventBased")
    p.intermediate("reply", message="reply").activity("answered")
    _OTHERS[add_ways](p)
    p.activity("after_other")
    p.transition("ask", "gw").transition("gw", "reply", id="to_reply")
    p.transition("gw", "other", id="to_other")
    p.transition("reply", "answered").transition("other", "after_other")
    return pb.build()


_OTHERS = {
    "plain": lambda p: p.activity("other"),
    "script": lambda p: p.activity("other", script="n = 1"),
    "route": lambda p: p.route("other"),
    "message throw": lambda p: p.intermediate("other", message="m", throw=True),
    "signal throw": lambda p: p.intermediate("other", signal="s", throw=True),
    "timer": lambda p: p.intermediate("other", timer="PT1H"),
    "message": lambda p: p.intermediate("other", message="m"),
    "signal": lambda p: p.intermediate("other", signal="s"),
    "conditional": lambda p: p.intermediate("other", condition="True"),
    "receive task": lambda p: p.add_activity(
        Activity(id="other", body=TaskImplementation(task=TaskKind.RECEIVE))
    ),
}


@pytest.mark.parametrize("other", ["plain", "script", "route", "message throw", "signal throw"])
def test_a_way_to_what_does_not_wait_is_a_warning_naming_gateway_and_way(other: str) -> None:
    [finding] = _found(_gateway(other))
    assert (finding.severity, finding.code, finding.element_id) == (
        Severity.WARNING,
        "event-gateway-target",
        "to_other",
    )
    assert finding.message.startswith(
        "event-based gateway 'gw' in process 'main': its way 'to_other' leads to 'other', "
        "which is no catch event"
    )


@pytest.mark.parametrize("other", ["timer", "message", "signal", "conditional", "receive task"])
def test_ways_to_catch_events_are_fine(other: str) -> None:
    assert _found(_gateway(other)) == []


def test_the_finding_carries_the_ways_line_in_the_file() -> None:
    text = dump_xpdl(_gateway("plain"))
    [finding] = _found(load_xpdl(text))
    lines = text.decode().splitlines()
    assert finding.line is not None
    assert 'Id="to_other"' in lines[finding.line - 1]


def test_an_exclusive_gateway_is_not_concerned() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("gw").activity("a").activity("b")
    p.transition("gw", "a", condition="True").transition("gw", "b", otherwise=True)
    assert _found(pb.build()) == []


def test_validate_reports_a_way_to_an_ordinary_activity() -> None:
    found = [d for d in validate(_gateway("plain")) if d.code == "event-gateway-target"]
    assert len(found) == 1 and found[0].severity is Severity.WARNING
