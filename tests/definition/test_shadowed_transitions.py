"""``shadowed-transition``: a way out of an Exclusive split that the engine never takes.

An Exclusive split takes the first of its ways whose condition holds, in its TransitionRefs'
order (else the order the transitions are written), so a way with no condition ends the choice:
the ways after it, and the OTHERWISE, are dead, while the graph still reaches their targets.
Each case here also runs the engine, so that validation calls a way dead exactly when the
engine never takes it.
"""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, load_xpdl, validate
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package

PAY = '<Transition Id="t_pay" From="decide" To="pay"/>'
REVIEW = (
    '<Transition Id="t_review" From="decide" To="review">'
    '<Condition Type="CONDITION">amount &gt; 500</Condition></Transition>'
)
OTHERWISE = (
    '<Transition Id="t_other" From="decide" To="other"><Condition Type="OTHERWISE"/></Transition>'
)


def _doc(transitions: str, refs: tuple[str, ...] | None = None, route: str = "") -> bytes:
    """A claim decided at route ``decide`` (``route``: its Route's attributes) among ``pay``,
    ``review`` and ``other`` (when a transition leads there) by ``transitions``; ``refs``: its
    Split's TransitionRefs, if any."""
    other = (
        ""
        if 'To="other"' not in transitions
        else ('<Activity Id="other"><Implementation><No/></Implementation></Activity>')
    )
    split = ""
    if refs is not None:
        listed = "".join(f'<TransitionRef Id="{ref}"/>' for ref in refs)
        split = (
            '<TransitionRestrictions><TransitionRestriction><Split Type="Exclusive">'
            f"<TransitionRefs>{listed}</TransitionRefs></Split></TransitionRestriction>"
            "</TransitionRestrictions>"
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="shadow" Name="shadow">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="claim">
      <ProcessHeader/>
      <DataFields>
        <DataField Id="amount"><DataType><BasicType Type="FLOAT"/></DataType>
          <InitialValue>0.0</InitialValue></DataField>
      </DataFields>
      <Activities>
        <Activity Id="decide"><Route {route}/>{split}</Activity>
        <Activity Id="pay"><Implementation><No/></Implementation></Activity>
        <Activity Id="review"><Implementation><No/></Implementation></Activity>
        {other}
      </Activities>
      <Transitions>
        {transitions}
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


def _shadowed(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.code == "shadowed-transition"]


def _trace(package: Package, process: str, data: dict[str, object]) -> list[str]:
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    instance_id = engine.start_process(process, data)
    return engine.trace(instance_id)


def test_an_unconditional_way_tried_first_shadows_the_ones_after_it() -> None:
    # the QA pass's file: paid, never reviewed, and validation said nothing
    package = load_xpdl(_doc(f"{PAY}\n        {REVIEW}", refs=("t_pay", "t_review")))
    [finding] = _shadowed(package)
    review = package.process("claim").transitions[1]
    assert (finding.severity, finding.element_id, finding.line) == (
        Severity.WARNING,
        "t_review",
        review.line,
    )
    assert finding.message.startswith(
        "transition 't_review' in process 'claim' is never taken: activity 'decide' has an "
        "Exclusive split, which tries its ways in its TransitionRefs' order and takes the "
        "first whose condition holds; 't_pay', tried before it, has no condition"
    )
    assert _trace(package, "claim", {"amount": 900.0}) == ["decide", "pay"]


@pytest.mark.parametrize(
    ("transitions", "refs", "dead"),
    [
        # no TransitionRefs: the order the transitions are written
        (f"{PAY}{REVIEW}", None, True),
        (f"{REVIEW}{PAY}", None, False),
        # TransitionRefs decide over the written order
        (f"{REVIEW}{PAY}", ("t_pay", "t_review"), True),
        (f"{PAY}{REVIEW}", ("t_review", "t_pay"), False),
        # a transition the refs do not list is tried after those they list
        (f"{PAY}{REVIEW}", ("t_review",), False),
        (f"{REVIEW}{PAY}", ("t_pay",), True),
    ],
)
def test_the_ways_are_judged_in_the_order_the_engine_tries_them(
    transitions: str, refs: tuple[str, ...] | None, dead: bool
) -> None:
    package = load_xpdl(_doc(transitions, refs=refs))
    assert [d.element_id for d in _shadowed(package)] == (["t_review"] if dead else [])
    taken = _trace(package, "claim", {"amount": 900.0})[1]
    assert taken == ("pay" if dead else "review")


def test_an_otherwise_beside_an_unconditional_way_is_never_taken() -> None:
    # written before it or not: OTHERWISE runs only when no way holds, and one always does
    package = load_xpdl(_doc(f"{OTHERWISE}{REVIEW}{PAY}"))
    [finding] = _shadowed(package)
    assert finding.element_id == "t_other"
    assert "tries its ways in the order its transitions are written" in finding.message
    assert "it is OTHERWISE, taken only when none holds, and 't_pay' has no condition" in (
        finding.message
    )
    assert _trace(package, "claim", {"amount": 100.0}) == ["decide", "pay"]


@pytest.mark.parametrize(
    ("route", "transitions"),
    [
        # every way that holds runs: nothing is shadowed
        ('GatewayType="Parallel"', f"{PAY}{REVIEW}"),
        ('GatewayType="Inclusive"', f"{PAY}{REVIEW}"),
        # a CONDITION left empty is a decision for people, not a way always taken
        (
            'GatewayType="Exclusive"',
            '<Transition Id="t_pay" From="decide" To="pay"><Condition Type="CONDITION"/>'
            f"</Transition>{REVIEW}",
        ),
        # the unconditional way comes last, as a default
        ('GatewayType="Exclusive"', f"{REVIEW}{PAY}"),
    ],
)
def test_splits_that_take_no_dead_way_are_not_reported(route: str, transitions: str) -> None:
    assert _shadowed(load_xpdl(_doc(transitions, route=route))) == []


def test_the_builders_default_exclusive_split_is_reported_and_a_parallel_one_is_not() -> None:
    # two transition() calls without conditions: the builder's split is Exclusive, so only
    # the first way ran
    def claim(split: str | None) -> Package:
        pb = PackageBuilder("p")
        p = pb.process("claim")
        p.activity("received", **({"split": split} if split else {}))
        p.activity("pay").activity("notify")
        p.transition("received", "pay").transition("received", "notify", id="to_notify")
        return pb.build()

    exclusive = claim(None)
    [finding] = _shadowed(exclusive)
    assert finding.element_id == "to_notify"
    # (the builder lists the ways in its split in the order the transitions were made)
    assert "TransitionRefs' order" in finding.message
    assert "'t1', tried before it" in finding.message
    assert _trace(exclusive, "claim", {}) == ["received", "pay"]
    parallel = claim("Parallel")
    assert _shadowed(parallel) == []
    assert sorted(_trace(parallel, "claim", {})) == ["notify", "pay", "received"]


@pytest.mark.parametrize("condition", ["true", "1 == 1"])
def test_a_constant_true_condition_always_holds_too(condition: str) -> None:
    pb = PackageBuilder("p")
    p = pb.process("claim")
    p.data_field("amount", "FLOAT", initial="0.0")
    p.activity("decide").activity("pay").activity("review")
    p.transition("decide", "pay", id="to_pay", condition=condition)
    p.transition("decide", "review", id="to_review", condition="amount > 500")
    package = pb.build()
    [finding] = _shadowed(package)
    assert finding.element_id == "to_review"
    assert f"'to_pay', tried before it, has the condition '{condition}', which always holds" in (
        finding.message
    )
    assert _trace(package, "claim", {"amount": 900.0}) == ["decide", "pay"]


def test_a_condition_on_the_data_is_not_judged_constant() -> None:
    pb = PackageBuilder("p")
    p = pb.process("claim")
    p.data_field("amount", "FLOAT", initial="0.0")
    p.activity("decide").activity("pay").activity("review")
    p.transition("decide", "pay", condition="amount <= 500")
    p.transition("decide", "review", condition="amount > 500")
    package = pb.build()
    assert _shadowed(package) == []
    assert _trace(package, "claim", {"amount": 900.0}) == ["decide", "review"]


def test_an_event_based_gateway_waits_on_every_way_and_is_not_reported() -> None:
    pb = PackageBuilder("p")
    p = pb.process("main")
    p.activity("ask").route("gw", gateway="EventBased")
    p.intermediate("reply", message="reply").intermediate("wait", timer="P1D")
    p.transition("ask", "gw").transition("gw", "reply").transition("gw", "wait")
    assert _shadowed(pb.build()) == []


def test_a_way_shadowed_inside_an_activity_set_names_the_set() -> None:
    pb = PackageBuilder("p")
    p = pb.process("main")
    inner = p.activity_set("inner")
    inner.activity("a").activity("b").activity("c")
    inner.transition("a", "b").transition("a", "c", id="a_c")
    p.block("blk", activity_set="inner")
    [finding] = _shadowed(pb.build())
    assert finding.element_id == "a_c"
    assert "in activity set 'inner' of process 'main' is never taken" in finding.message
