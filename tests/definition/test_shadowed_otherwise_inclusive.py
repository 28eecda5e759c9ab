"""``shadowed-transition`` for the OTHERWISE of a split that takes every way whose condition
holds (Inclusive, or Parallel with conditions): the engine takes it only when no other way
holds, so beside a way that always holds it is never taken."""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.validation import validate
from wfengine.runtime.engine import Engine


def _split(gateway: str, third: str | None) -> PackageBuilder:
    """s: to_a (x > 0), to_b (OTHERWISE), to_c (``third``: its condition, or none)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="-1")
    p.route("s", gateway=gateway)
    p.activity("a").activity("b").activity("c")
    p.transition("s", "a", condition="x > 0", id="to_a")
    p.transition("s", "b", otherwise=True, id="to_b")
    p.transition("s", "c", condition=third, id="to_c")
    return pb


def _shadowed(pb: PackageBuilder) -> list[tuple[str | None, str]]:
    return [
        (d.element_id, d.message) for d in validate(pb.build()) if d.code == "shadowed-transition"
    ]


@pytest.mark.parametrize("gateway", ["Inclusive", "Parallel"])
@pytest.mark.parametrize("third", [None, "true"])
def test_an_otherwise_beside_a_way_that_always_holds_is_warned(
    gateway: str, third: str | None
) -> None:
    [(element, message)] = _shadowed(_split(gateway, third))
    assert element == "to_b"
    assert "'to_c'" in message and "OTHERWISE only when none does" in message
    engine = Engine()
    engine.deploy(_split(gateway, third).build())
    iid = engine.start_process("main")
    ran = {a.activity_id for a in engine.activity_instances(iid)}
    assert "b" not in ran and "c" in ran  # the engine never takes it, as the warning says


def test_an_otherwise_beside_conditions_only_is_not_warned() -> None:
    assert _shadowed(_split("Inclusive", "x > 5")) == []
    engine = Engine()
    engine.deploy(_split("Inclusive", "x > 5").build())
    iid = engine.start_process("main")
    assert "b" in {a.activity_id for a in engine.activity_instances(iid)}
