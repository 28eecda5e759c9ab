"""When its turn comes, an item of a sequential ad-hoc set goes to whoever of its people has
been free the longest, as every item offered does (README: "An item offered while some of
its people are free goes to the one free the longest"). Before, the person whose item's
close passed the turn on took it at once: with two clerks and the set {a, b, c}, one clerk
did all three and the other none."""

from __future__ import annotations

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario
from wfengine.simulation.binding import bind
from wfengine.simulation.simulator import Run


def _checks() -> Package:
    pb = PackageBuilder("fair")
    pb.participant("clerk")
    p = pb.process("fair")
    checks = p.activity_set("checks", adhoc="Sequential")
    for a in "abc":
        checks.activity(a, performer="clerk")
    p.block("review", activity_set="checks")
    return pb.build()


def test_the_next_turn_goes_to_the_clerk_free_the_longest() -> None:
    ten = {"duration": "10m"}
    scn = Scenario.from_data(
        {
            "process": "fair",
            "arrivals": {"at": ["2027-01-04T09:00:00Z"]},
            "activities": {"a": ten, "b": ten, "c": ten},
            "resources": {"clerk": 2},
        }
    )
    outcome = Run(bind(scn, _checks()), seed=1, replication=0, instances=1).run()
    engine = outcome.engine
    (case,) = engine.instance_summaries()
    starts = [
        (e.at.strftime("%H:%M"), e.activity_id, e.detail["user"])
        for e in engine.audit(case.id)
        if e.kind == "work_item.started"
    ]
    # clerk-1 (first by id) takes a; at 09:10 clerk-2 has been free since 09:00, so b is
    # theirs; at 09:20 clerk-1 has been free since 09:10, so c is clerk-1's
    assert starts == [
        ("09:00", "a", "clerk-1"),
        ("09:10", "b", "clerk-2"),
        ("09:20", "c", "clerk-1"),
    ]
    assert {p: x.busy_seconds for p, x in outcome.people.items()} == {
        "clerk-1": 1200,
        "clerk-2": 600,
    }
