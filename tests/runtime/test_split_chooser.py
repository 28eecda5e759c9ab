"""``Engine.split_chooser``: a split's ways decided by the host (a simulation's branch
probabilities) instead of by the conditions, and the conditions again when it declines."""

from __future__ import annotations

from collections.abc import Sequence

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.instance import ProcessInstance


def _package() -> PackageBuilder:
    pb = PackageBuilder("split")
    p = pb.process("split")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("a").activity("b").activity("c").activity("d")
    p.transition("a", "b", condition="n == 1", id="to_b")
    p.transition("a", "c", condition="n == 2", id="to_c")
    p.transition("a", "d", otherwise=True, id="to_d")
    return pb


def test_the_chooser_picks_the_ways_and_sees_them_in_order() -> None:
    asked: list[tuple[str, list[str], bool]] = []

    def choose(
        inst: ProcessInstance, activity_id: str, ways: Sequence[str], exclusive: bool
    ) -> list[str] | None:
        asked.append((activity_id, list(ways), exclusive))
        return ["to_c"]

    engine = Engine()
    engine.deploy(_package().build())
    engine.split_chooser = choose
    iid = engine.start_process("split", {"n": 1})  # the condition would say b
    assert engine.trace(iid) == ["a", "c"]
    assert asked == [("a", ["to_b", "to_c", "to_d"], True)]


def test_a_chooser_that_declines_leaves_it_to_the_conditions() -> None:
    engine = Engine()
    engine.deploy(_package().build())
    engine.split_chooser = lambda *_: None
    assert engine.trace(engine.start_process("split", {"n": 1})) == ["a", "b"]
    assert engine.trace(engine.start_process("split", {"n": 5})) == ["a", "d"]


def test_a_chooser_naming_no_way_of_the_split_is_an_incident_that_says_so() -> None:
    engine = Engine()
    engine.deploy(_package().build())
    engine.split_chooser = lambda *_: ["to_nowhere"]
    iid = engine.start_process("split", {"n": 1})
    (incident,) = engine.incidents(iid)
    assert incident.activity_id == "a"
    assert "the split chooser named ['to_nowhere'], none of its ways" in incident.message
    engine.split_chooser = lambda *_: "to_c"  # one id given as a string, not a list
    assert engine.trace(engine.start_process("split", {"n": 1})) == ["a", "c"]
