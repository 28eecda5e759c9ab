"""``wfengine:cancelRemaining`` is read as the data fields' yes/no marks are, and another value
is the error ``cancel-remaining-value``; on a multi-instance activity whose MI_FlowCondition is
None it is the warning ``cancel-remaining-flow``.

Found by a QA pass: only the text ``true`` (any case) was yes; ``Value="yes"``, ``"1"``,
``"ture"`` or ``"CANCEL"`` were read as no, silently, so a cancelling join became a blocking
one (the branches it should have withdrawn ran on) with no finding."""

from __future__ import annotations

import pytest

from wfengine import DeployError, Engine, PackageBuilder, validate
from wfengine.definition.builder import multi_instance
from wfengine.definition.checks.cancel_remaining import CANCEL_REMAINING, cancels_remaining
from wfengine.definition.diagnostics import CODES, Severity
from wfengine.definition.model import GatewayType, Join, Package

YES = ["true", "TRUE", " True ", "yes", "Yes", "1"]
NO = ["false", "FALSE", "no", "0"]
NEITHER = ["ture", "CANCEL", "on", "2", "  ", ""]
CODES_HERE = {"cancel-remaining-value", "cancel-remaining-flow"}


def _discriminator(value: str) -> Package:
    """A Parallel split into 'fast' (a route) and 'slow' (a clerk's), joined by a Complex
    join 'J' that fires on the first branch, marked ``wfengine:cancelRemaining`` ``value``."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.route("fork", gateway="Parallel").route("fast").activity("slow", performer="clerk")
    join = Join(type=GatewayType.COMPLEX, incoming_condition="activationCount >= 1")
    p.activity("J", join=join, extended={CANCEL_REMAINING: value}).end("end")
    p.transition("fork", "fast").transition("fork", "slow")
    p.transition("fast", "J").transition("slow", "J").transition("J", "end")
    return pb.build()


def _findings(package: Package) -> list[tuple[str, Severity, str | None, str]]:
    return [
        (d.code, d.severity, d.element_id, d.message)
        for d in validate(package)
        if d.code in CODES_HERE
    ]


@pytest.mark.parametrize("value", YES)
def test_yes_in_any_of_its_words_makes_the_join_cancelling(value: str) -> None:
    package = _discriminator(value)
    assert _findings(package) == []
    engine = Engine()
    engine.deploy(package)
    iid = engine.start_process("main", {})
    assert engine.work_items(iid) == []  # 'slow' was withdrawn when 'fast' fired the join
    assert engine.instance(iid).state.value == "closed.completed"


@pytest.mark.parametrize("value", NO)
def test_no_in_any_of_its_words_keeps_the_join_blocking(value: str) -> None:
    package = _discriminator(value)
    assert _findings(package) == []
    engine = Engine()
    engine.deploy(package)
    iid = engine.start_process("main", {})
    assert [w.activity_id for w in engine.work_items(iid)] == ["slow"]  # it runs on


@pytest.mark.parametrize("value", NEITHER)
def test_another_value_is_an_error_the_deploy_refuses(value: str) -> None:
    package = _discriminator(value)
    [(code, severity, element, message)] = _findings(package)
    assert (code, severity, element) == ("cancel-remaining-value", Severity.ERROR, "J")
    assert "true/false, yes/no or 1/0" in message
    if value.strip():
        assert f"{CANCEL_REMAINING} {value!r}" in message
    with pytest.raises(DeployError, match="cancel-remaining-value"):
        Engine().deploy(package)
    activity = package.workflow_processes[0].activities[-2]
    assert activity.id == "J" and not cancels_remaining(activity)


def _mi(flow: str, value: str = "true") -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").end("e")
    loop = multi_instance("2", flow=flow)
    p.activity("M", performer="clerk", loop=loop, extended={CANCEL_REMAINING: value})
    p.sequence("s", "M", "e")
    return pb.build()


def test_cancel_remaining_on_a_multi_instance_activity_with_flow_none_is_a_warning() -> None:
    [(code, severity, element, message)] = _findings(_mi("None"))
    assert (code, severity, element) == ("cancel-remaining-flow", Severity.WARNING, "M")
    assert 'MI_FlowCondition="One"' in message
    assert CODES["cancel-remaining-flow"][0] is Severity.WARNING
    # what the warning says the engine does: the first completion cancels the other instance
    engine = Engine()
    engine.deploy(_mi("None"))
    iid = engine.start_process("main", {})
    engine.complete_work_item(engine.work_items(iid)[0].id)
    assert engine.work_items(iid) == []
    assert engine.instance(iid).state.value == "closed.completed"


@pytest.mark.parametrize(("flow", "value"), [("One", "true"), ("None", "false")])
def test_no_warning_where_the_mark_means_something_or_says_no(flow: str, value: str) -> None:
    assert _findings(_mi(flow, value)) == []
