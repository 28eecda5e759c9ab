"""``and-join-after-choice``: a Parallel join behind a split that takes every way whose condition
holds (Inclusive, or Parallel with conditions) waits forever when a way it needs is not taken;
validation says so before an instance deadlocks (the engine's incident when it does)."""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.diagnostics import Severity
from wfengine.definition.validation import validate
from wfengine.runtime.engine import Engine


def _choice(split: str, join: str, conditions: tuple[str | None, str | None]) -> PackageBuilder:
    """s splits to a and b (each way with its condition, or none), which meet at j."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="1")
    p.route("s", gateway=split)
    p.activity("a").activity("b")
    p.route("j", gateway=join)
    p.activity("e")
    p.transition("s", "a", condition=conditions[0], id="to_a")
    p.transition("s", "b", condition=conditions[1], id="to_b")
    p.transition("a", "j").transition("b", "j").transition("j", "e")
    return pb


def _codes(pb: PackageBuilder) -> list[str]:
    return [d.code for d in validate(pb.build()) if d.code.startswith("and-join")]


@pytest.mark.parametrize("split", ["Inclusive", "Parallel"])
def test_a_parallel_join_after_a_conditional_way_is_warned(split: str) -> None:
    pb = _choice(split, "Parallel", ("x > 0", "x > 5"))
    [d] = [d for d in validate(pb.build()) if d.code == "and-join-after-choice"]
    assert (d.severity, d.element_id) == (Severity.WARNING, "j")
    assert "'s'" in d.message and "'to_a', 'to_b'" in d.message
    assert "make the join Inclusive" in d.message


def test_the_warning_names_only_the_ways_that_may_not_be_taken() -> None:
    [d] = [
        d
        for d in validate(_choice("Inclusive", "Parallel", (None, "x > 5")).build())
        if d.code == "and-join-after-choice"
    ]
    assert "transition 'to_b'" in d.message and "'to_a'" not in d.message


def test_the_warned_join_does_deadlock_when_a_way_is_not_taken() -> None:
    engine = Engine()
    engine.deploy(_choice("Inclusive", "Parallel", ("x > 0", "x > 5")).build())
    iid = engine.start_process("main")
    [incident] = engine.incidents()
    found = (incident.instance_id, incident.operation, incident.activity_id)
    assert found == (iid, "deadlock", "j")


@pytest.mark.parametrize(
    ("split", "join", "conditions"),
    [
        ("Inclusive", "Inclusive", ("x > 0", "x > 5")),  # the OR-join waits for what can come
        ("Parallel", "Parallel", (None, None)),  # every way taken
        ("Inclusive", "Parallel", (None, None)),  # every way always holds
        ("Inclusive", "Parallel", ("true", None)),  # a constant true always holds
        ("Inclusive", "Parallel", ("1 == 1", "true")),
    ],
    ids=["inclusive-join", "parallel-split", "unconditional-inclusive", "true", "constants"],
)
def test_joins_that_get_every_way_are_not_warned(
    split: str, join: str, conditions: tuple[str | None, str | None]
) -> None:
    pb = _choice(split, join, conditions)
    assert _codes(pb) == []
    engine = Engine()
    engine.deploy(pb.build())
    assert engine.instance(engine.start_process("main")).state.value == "closed.completed"


def test_a_conditional_way_that_bypasses_the_join_is_not_warned() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="1")
    p.route("s", gateway="Inclusive")
    p.activity("a").activity("b").activity("c")
    p.route("j", gateway="Parallel")
    p.transition("s", "a").transition("s", "b").transition("s", "c", condition="x > 5")
    p.transition("a", "j").transition("b", "j")
    assert _codes(pb) == []
    engine = Engine()
    engine.deploy(pb.build())
    engine.start_process("main")
    assert engine.incidents() == []


def test_an_exclusive_split_keeps_its_own_warning() -> None:
    assert _codes(_choice("Exclusive", "Parallel", ("x > 0", None))) == ["and-join-after-xor"]
