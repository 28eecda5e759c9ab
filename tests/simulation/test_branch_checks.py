"""Branch probabilities are checked against the split they decide, before anything runs: a
probability that could not be applied as written is an error naming it, not a silent
change to which ways the cases take."""

from __future__ import annotations

import pytest
from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
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
