"""An inclusive split given probabilities for some of its ways only is refused, naming the
ways left out.

Each way of an inclusive split is taken with its own probability, in place of its condition;
a way not named was silently never taken (and the named one taken every time, the split
having to take one): {a: 0.3} took a 1000 times in 1000.
"""

from __future__ import annotations

import pytest
from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation.binding import bind
from wfengine.simulation.distributions import ScenarioError


def _or_split() -> Package:
    pb = PackageBuilder("or")
    p = pb.process("or")
    p.route("split", gateway="Inclusive").route("join", gateway="Inclusive")
    p.activity("a").activity("b").activity("done")
    p.transition("split", "a", condition="true", id="to_a")
    p.transition("split", "b", condition="true", id="to_b")
    p.transition("a", "join").transition("b", "join").transition("join", "done")
    return pb.build()


def test_a_way_left_out_is_named() -> None:
    with pytest.raises(ScenarioError, match=r"branches\.split: .*to_b \(to b\) not named"):
        bind(scenario(branches={"split": {"a": 0.3}}), _or_split())


def test_every_way_named_binds_and_0_says_never() -> None:
    bound = bind(scenario(branches={"split": {"a": 0.3, "b": 0}}), _or_split())
    assert bound.branches["split"] == [("to_a", 0.3), ("to_b", 0.0)]
