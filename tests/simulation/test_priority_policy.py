"""``policy: priority``: work offered at one moment goes out by priority too.

Items offered while a person was free used to be handed out in the order they were filed:
the free clerk took the low-priority step the parallel split happened to offer first.
"""

from __future__ import annotations

from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import simulate


def _low_and_high() -> Package:
    """A parallel split offering ``low`` (first) and ``high`` at once to the one clerk."""
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.participant("clerk")
    p.route("r", gateway="Parallel")
    p.activity("low", performer="clerk")
    p.activity("high", performer="clerk")
    p.transition("r", "low")
    p.transition("r", "high")
    return pb.build()


def _waits(policy: str) -> tuple[float, float]:
    scn = scenario(
        policy=policy,
        arrivals={"at": ["2027-01-04T09:00:00Z"]},
        activities={
            "low": {"duration": "1h", "priority": 1},
            "high": {"duration": "1h", "priority": 5},
        },
    )
    result = simulate(_low_and_high(), scn)
    return result.activities["high"].waiting.mean, result.activities["low"].waiting.mean


def test_the_higher_priority_goes_first_when_both_are_offered_at_once() -> None:
    assert _waits("priority") == (0.0, 3600.0)


def test_fifo_keeps_the_order_they_were_offered_in() -> None:
    assert _waits("fifo") == (3600.0, 0.0)
