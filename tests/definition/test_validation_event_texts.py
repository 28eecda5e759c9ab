"""Validation reads every text the compiler reads: events' timers and conditions, scripts, and
XPDL 2.x ``Assignments``. Before, these went unchecked, so ``wfengine validate`` passed a
process that deploy then refused (found by the validate/deploy agreement property with a timer
cycle of one unassigned character)."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Activity, Package, XmlNode
from wfengine.definition.namespaces import XPDL22_NS
from wfengine.definition.validation import validate
from wfengine.errors import DeployError

X = "{" + XPDL22_NS + "}"


def _errors(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.severity is Severity.ERROR]


def _event(**spec: str) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "INTEGER", initial="1")
    p.activity("a").intermediate("e", **spec).activity("b").sequence("a", "e", "b")  # type: ignore[arg-type]
    return pb.build()


def _boundary(**spec: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("work", performer="clerk").activity("late").activity("done")
    p.intermediate("timer", attached_to="work", **spec)  # type: ignore[arg-type]
    p.sequence("work", "done").transition("timer", "late")
    return pb.build()


def _script(text: str) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "INTEGER", initial="1")
    p.activity("calc", script=text)
    return pb.build()


def _assignments(target: str, expression: str) -> Package:
    assignment = XmlNode(
        tag=X + "Assignment",
        attrs=(("AssignTime", "End"),),
        children=(
            XmlNode(tag=X + "Target", children=(XmlNode(tag=X + "Expression", text=target),)),
            XmlNode(tag=X + "Expression", text=expression),
        ),
    )
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "INTEGER", initial="1")
    extras = (XmlNode(tag=X + "Assignments", children=(assignment,)),)
    p.add_activity(Activity(id="a", extras=extras))
    return pb.build()


def _refused(package: Package, code: str) -> Diagnostic:
    """The one error finding, which deploy refuses the package for."""
    [finding] = _errors(package)
    assert finding.code == code, finding
    with pytest.raises(DeployError, match=code):
        Engine().deploy(package)
    return finding


@pytest.mark.parametrize(
    ("package", "what"),
    [
        (_event(timer="amount +"), "the timer cycle of activity 'e'"),
        (_event(timer="R3/amount +"), "the timer cycle of activity 'e'"),
        (_event(at="amount +"), "the timer date of activity 'e'"),
        (_event(condition="amount >"), "the event condition of activity 'e'"),
        (_boundary(timer="amount *"), "the timer cycle of activity 'timer'"),
        (_script("x = amount + 1; y = amount +"), "the script's assignment to 'y'"),
        (_assignments("amount", "amount +"), "assignment 1 (amount =) of activity 'a'"),
        # what the property found: a character with no Unicode meaning cannot be parsed
        (_event(timer="\U00018cd6"), "the timer cycle of activity 'e'"),
    ],
    ids=["cycle", "repeating", "date", "condition", "boundary", "script", "assignment", "U+18CD6"],
)
def test_a_text_that_does_not_parse_is_a_syntax_error(package: Package, what: str) -> None:
    finding = _refused(package, "expression-syntax")
    assert finding.message.startswith(what), finding.message
    assert finding.element_id in {"e", "timer", "calc", "a"}


@pytest.mark.parametrize("cycle", ["R/PT0S", "R3/0 seconds"])
def test_a_repeating_timer_needs_an_interval_above_zero(cycle: str) -> None:
    finding = _refused(_event(timer=cycle), "timer-cycle")
    assert "repeats every" in finding.message and "'e'" in finding.message


def test_an_assignment_to_no_field_name_is_refused() -> None:
    finding = _refused(_assignments("amount + 1", "2"), "assignment-target")
    assert "'amount + 1'" in finding.message and finding.element_id == "a"


@pytest.mark.parametrize(
    "package",
    [
        _event(timer="PT0S"),  # fires at once: allowed, not a deadline
        _event(timer="R3/PT1H"),
        _event(timer="amount * 60"),
        _event(at="2026-12-24T18:00:00Z"),
        _event(at="3600"),  # seconds, as TIBCO writes
        _event(condition="amount > 3"),
        _boundary(timer="P2D"),
        _script("var total = amount * 2; doubled = total + 1"),
        _assignments("amount", "amount + 1"),
    ],
    ids=["zero", "repeat", "expr", "date", "seconds", "cond", "boundary", "script", "assign"],
)
def test_texts_that_read_are_accepted_and_deploy(package: Package) -> None:
    findings = validate(package)
    assert [d for d in findings if d.severity is Severity.ERROR] == []
    # a script's later statement sees what the earlier ones assigned
    assert [d for d in findings if d.code == "expression-unknown-name"] == []
    assert Engine().deploy(package)


def test_an_unknown_name_in_an_event_condition_is_a_warning() -> None:
    [finding] = [d for d in validate(_event(condition="amout > 3")) if d.code.startswith("expr")]
    assert finding.code == "expression-unknown-name" and "'amout'" in finding.message
    assert finding.severity is Severity.WARNING
