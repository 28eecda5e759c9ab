"""The "loops without progress" incident names the cycle the same way on every store.

Why: the watch named the activities run since the state was last seen, from the trace still in
memory; a SQL store takes the trace as the run goes (every few dozen steps), so the same cycle
was named ``r1 -> r2`` in memory and ``r1 -> r2 -> d`` on SQLite (or ``r1 -> d -> r2`` against
``r1 -> r2 -> d``). It is now named from the graph alone, from the cycle's entry: the first of
its activities a walk from the start meets, wherever in the round the cycle was caught."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import GatewayType, Join
from wfengine.runtime.engine import Engine


def _spinning_into_a_complex_join(arrived: int) -> PackageBuilder:
    """st -> r1 -> r2, a parallel split back to r1 and on to d, a Complex join that fires
    once ``arrived`` tokens came in a round (and then absorbs the rest), then a person's x."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.route("st").route("r1").route("r2", gateway="Parallel")
    p.activity("d", join=Join(type=GatewayType.COMPLEX, incoming_condition=f"arrived >= {arrived}"))
    p.activity("x", performer="clerk")
    p.transition("st", "r1").transition("r1", "r2").transition("r2", "r1")
    p.transition("r2", "d").transition("d", "x")
    return pb


def _message(engine: Engine, iid: str) -> str:
    [incident] = engine.incidents(iid)
    return incident.message


@pytest.mark.parametrize(
    ("arrived", "cycle"), [(1, "r1 -> r2 -> d"), (2, "r1 -> r2"), (5, "r1 -> r2")]
)
def test_the_cycle_is_named_the_same_on_every_store(
    engine: Engine, arrived: int, cycle: str
) -> None:
    iid = run(engine, _spinning_into_a_complex_join(arrived))
    assert f"loops without progress through {cycle}: " in _message(engine, iid)


def test_a_cycle_is_named_from_its_entry(engine: Engine) -> None:
    # st -> r -> q -> s1 -> r: named from r, where the way from the start enters it
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("k", "INTEGER", initial="0")
    p.route("st").route("r").route("q").activity("s1", script="k = 1").activity("end1")
    p.transition("st", "r").transition("r", "q").transition("q", "s1").transition("s1", "r")
    p.transition("q", "end1", condition="false")
    iid = run(engine, pb)
    message = _message(engine, iid)
    assert "loops without progress through r -> q -> s1: " in message
