"""A cycle that makes no progress but multiplies its queued work (a parallel split whose ways
all lead back) ends fast, as an incident naming the cycle, like one whose state repeats; real
fan-outs and loops that count are not stopped (see :mod:`wfengine.runtime.progress`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import GatewayType, Join, MultiInstanceLoop
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.limits import RuntimeLimits
from wfengine.runtime.progress import MAX_COMPARED_AGENDA, WATCH_FROM
from wfengine.runtime.states import ProcessState

#: far below the default million, so the old watch (which gave up on long queues) fails fast
BUDGET = 100_000


@pytest.fixture
def bounded(request: pytest.FixtureRequest, store_kind: str, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, store_kind, tmp_path)
    limits = RuntimeLimits(max_steps=BUDGET)
    with Engine(clock=VirtualClock(), db_url=url, limits=limits) as e:
        yield e


def _doubling() -> PackageBuilder:
    """s -> j -> a; the parallel split a sends two tokens to b, and b leads back to j: the
    queued work doubles every round, with no data and no application (a's way to e never
    holds)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").route("j", gateway="Exclusive").route("a", gateway="Parallel")
    p.route("b", gateway="Exclusive").end("e")
    p.transition("s", "j").transition("j", "a").transition("a", "b").transition("a", "b")
    p.transition("b", "j").transition("a", "e", condition="1 == 2")
    return pb


def _wide_loop(width: int, rounds: int) -> PackageBuilder:
    """A loop through a parallel split into ``width`` ways joined again; a script counts the
    rounds, and the loop ends after ``rounds`` of them."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").route("j", gateway="Exclusive").route("split", gateway="Parallel")
    for i in range(width):
        p.route(f"w{i}").transition("split", f"w{i}")
    p.route("join", gateway="Parallel").activity("count", script="n = n + 1")
    p.route("x", gateway="Exclusive").end("e")
    p.transition("s", "j").transition("j", "split").transition("join", "count")
    for i in range(width):
        p.transition(f"w{i}", "join")
    p.transition("count", "x")
    p.transition("x", "j", condition=f"n < {rounds}").transition("x", "e", otherwise=True)
    return pb


def _start(engine: Engine, pb: PackageBuilder) -> str:
    engine.deploy(pb.build())
    return engine.start_process("main")


def test_a_cycle_that_multiplies_its_work_becomes_an_incident_naming_it(bounded: Engine) -> None:
    iid = _start(bounded, _doubling())
    [incident] = bounded.incidents(iid)
    assert "loops without progress through j -> a -> b:" in incident.message
    assert incident.activity_id == "j"
    assert bounded.instance(iid).state is ProcessState.RUNNING
    # found within a few thousand steps, not at the step budget
    assert len(bounded.trace(iid)) < 4 * WATCH_FROM


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_retrying_it_finds_it_again_and_terminating_ends_it(bounded: Engine) -> None:
    iid = _start(bounded, _doubling())
    [incident] = bounded.incidents(iid)
    bounded.retry_incident(incident.id)
    [again] = bounded.incidents(iid)
    assert "loops without progress through" in again.message
    assert len(bounded.trace(iid)) < 8 * WATCH_FROM
    bounded.terminate(iid)
    assert bounded.instance(iid).state is ProcessState.TERMINATED


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_a_repeating_cycle_with_a_long_queue_is_caught(bounded: Engine) -> None:
    # more threads spin in one loop than the queue compared step by step; its state repeats
    width = MAX_COMPARED_AGENDA + 44
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").route("split", gateway="Parallel").route("spin", gateway="Exclusive")
    p.end("e").transition("s", "split")
    for i in range(width):
        p.route(f"w{i}").transition("split", f"w{i}").transition(f"w{i}", "spin")
    p.transition("spin", "spin").transition("spin", "e", condition="1 == 2")
    iid = _start(bounded, pb)
    [incident] = bounded.incidents(iid)
    assert "loops without progress through spin:" in incident.message
    assert len(bounded.trace(iid)) < 4 * WATCH_FROM + 2 * width


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
@pytest.mark.parametrize("width", [50, MAX_COMPARED_AGENDA + 44])
def test_a_wide_split_in_a_loop_that_counts_runs_to_its_end(bounded: Engine, width: int) -> None:
    rounds = 4 * WATCH_FROM // width + 20  # well past the watch's first snapshots
    iid = _start(bounded, _wide_loop(width, rounds))
    assert bounded.incidents(iid) == []
    assert bounded.instance(iid).state is ProcessState.COMPLETED
    assert bounded.instance(iid).data["n"] == rounds


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_a_parallel_multi_instance_of_ten_thousand_is_not_a_cycle(bounded: Engine) -> None:
    # ten thousand instances queued at once, none changing data or calling anything
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity("each", loop=MultiInstanceLoop(mi_condition="10000")).end("e")
    p.transition("s", "each").transition("each", "e")
    iid = _start(bounded, pb)
    assert bounded.incidents(iid) == []
    assert bounded.instance(iid).state is ProcessState.COMPLETED
    assert bounded.trace(iid).count("each") == 10_000


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_work_that_multiplies_until_a_complex_join_counts_enough_is_not_a_cycle(
    bounded: Engine,
) -> None:
    # the doubling cycle, but each round also reaches a Complex join that counts the tokens
    # that arrived and, at 3,000, ends the instance: counting is progress the data never sees
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").route("j", gateway="Exclusive").route("a", gateway="Parallel")
    p.route("b", gateway="Exclusive")
    enough = Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= 3000")
    p.activity("count", join=enough).end("t", terminate=True)
    p.transition("s", "j").transition("j", "a").transition("a", "b").transition("a", "b")
    p.transition("b", "j").transition("a", "count").transition("count", "t")
    iid = _start(bounded, pb)
    assert bounded.incidents(iid) == []
    assert bounded.instance(iid).state is ProcessState.COMPLETED
    assert bounded.trace(iid)[-1] == "t"
