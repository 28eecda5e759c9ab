"""Branch probabilities are checked against the split they decide, before anything runs: a
probability that could not be applied as written is an error naming it, not a silent
change to which ways the cases take."""

from __future__ import annotations

import pytest
from tests.simulation.helpers import decision, scenario

from wfengine.definition.builder import PackageBuilder, deadline
from wfengine.definition.model import Package
from wfengine.simulation import ScenarioError, simulate
from wfengine.simulation.binding import bind


def _reply_or_timeout() -> Package:
    """ask, then an event-based gateway: the customer's reply or a one-day timeout."""
    pb = PackageBuilder("ev")
    p = pb.process("ev")
    p.participant("clerk")
    p.start("s")
    p.activity("ask", performer="clerk")
    p.route("wait", gateway="EventBased")
    p.intermediate("reply", message="answer")
    p.intermediate("timeout", timer="P1D")
    p.activity("handle_reply", performer="clerk").activity("chase", performer="clerk")
    p.end("e").end("e2")
    p.sequence("s", "ask", "wait")
    p.transition("wait", "reply", id="got_reply").transition("wait", "timeout", id="timed_out")
    p.transition("reply", "handle_reply").transition("timeout", "chase")
    p.transition("handle_reply", "e").transition("chase", "e2")
    return pb.build()


def test_probabilities_at_an_event_based_gateway_are_refused() -> None:
    # a draw there would set up one catch event only: most cases would wait for a message
    # the simulation never sends, with the timer that should end the wait never set
    wait = {"got_reply": 0.8, "timed_out": 0.2}
    with pytest.raises(
        ScenarioError, match=r"branches\.wait: an event-based gateway \(the first of its events"
    ):
        bind(scenario(branches={"wait": wait}), _reply_or_timeout())


def test_an_event_based_gateway_without_probabilities_waits_for_its_first_event() -> None:
    report = simulate(
        _reply_or_timeout(), scenario(activities={"ask": "5m", "chase": "5m"}), instances=20
    )
    run = report.replications[0]
    assert run.metrics.completed == 20  # every case timed out and was chased
    assert report.activities["chase"].count.mean == 20


def test_one_way_named_twice_by_id_and_by_target_is_refused() -> None:
    # small (to approve) named as "small" and as "approve": the sum is 1, yet "large" would
    # never be taken
    scn = scenario(branches={"check": {"small": 0.5, "approve": 0.5}})
    with pytest.raises(
        ScenarioError,
        match=r"branches\.check\.approve: names transition 'small' \(to approve\), as 'small'",
    ):
        bind(scn, decision())


def _late_or_done(ways: int) -> Package:
    """work -> done (and -> also, with ``ways`` 2), and an exception way to escalate when
    its deadline passes."""
    pb = PackageBuilder("dl")
    p = pb.process("dl")
    p.participant("clerk")
    p.activity("work", performer="clerk", deadlines=[deadline("PT10H", "late")])
    p.activity("escalate", performer="clerk").activity("done", performer="clerk")
    p.transition("work", "done", id="normal")
    if ways == 2:
        p.activity("also", performer="clerk")
        p.transition("work", "also", condition="false", id="other")
    p.transition("work", "escalate", exception="late", id="exc")
    return pb.build()


def test_a_probability_on_an_exception_way_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"branches\.work: .* 1 way\(s\) out to choose"):
        bind(scenario(branches={"work": {"normal": 0.5, "exc": 0.5}}), _late_or_done(1))
    scn = scenario(branches={"work": {"normal": 0.5, "other": 0.25, "escalate": 0.25}})
    with pytest.raises(
        ScenarioError, match=r"branches\.work\.escalate: transition 'exc' .* handles an exception"
    ):
        bind(scn, _late_or_done(2))


def test_the_exception_way_does_not_count_among_the_ways_chosen() -> None:
    bound = bind(scenario(branches={"work": {"normal": 0.5, "other": 0.5}}), _late_or_done(2))
    assert bound.branches["work"] == [("normal", 0.5), ("other", 0.5)]


def _either_or_both() -> Package:
    pb = PackageBuilder("inc")
    p = pb.process("inc")
    p.participant("clerk")
    p.data_field("a", "BOOLEAN", initial="false").data_field("b", "BOOLEAN", initial="false")
    p.activity("start", performer="clerk", split="Inclusive")
    p.activity("x", performer="clerk").activity("y", performer="clerk")
    p.activity("end", performer="clerk", join="Inclusive")
    p.transition("start", "x", condition="a", id="tx").transition("start", "y", condition="b")
    p.transition("x", "end").transition("y", "end")
    return pb.build()


def test_an_inclusive_ways_probability_above_1_is_refused() -> None:
    with pytest.raises(
        ScenarioError, match=r"branches\.start\.tx: 7 is not a probability \(between 0 and 1\)"
    ):
        bind(scenario(branches={"start": {"tx": 7, "y": 0.5}}), _either_or_both())
    bound = bind(scenario(branches={"start": {"tx": 1, "y": 0.5}}), _either_or_both())
    assert [w for _, w in bound.branches["start"]] == [1.0, 0.5]
