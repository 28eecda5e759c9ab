"""A Standard loop whose rounds change nothing is caught as a cycle without progress, as the
same cycle drawn with a gateway is; a loop that counts (a LoopCounter, a LoopMaximum) is not."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import StandardLoop
from wfengine.definition.model import TestTime as LoopTestTime  # (pytest collects Test*)
from wfengine.runtime.engine import Engine
from wfengine.runtime.progress import WATCH_FROM
from wfengine.runtime.states import ProcessState


def _looping(loop: StandardLoop) -> PackageBuilder:
    """s -> a (a Standard loop on an activity that does nothing) -> e."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("approved", "BOOLEAN", initial="false")
    p.data_field("i", "INTEGER", initial="0")
    p.start("s").activity("a", loop=loop).end("e")
    p.sequence("s", "a", "e")
    return pb


@pytest.mark.parametrize(
    "loop",
    [
        StandardLoop(condition="true"),
        # a condition only a person could change, tested before each round or after it
        StandardLoop(condition="approved == false"),
        StandardLoop(condition="approved == false", test_time=LoopTestTime.BEFORE),
    ],
    ids=["true", "after", "before"],
)
def test_a_standard_loop_that_changes_nothing_becomes_an_incident_naming_it(
    engine: Engine, loop: StandardLoop
) -> None:
    iid = run(engine, _looping(loop))
    [incident] = engine.incidents(iid)
    assert "loops without progress through a:" in incident.message
    assert incident.activity_id == "a"
    assert incident.operation == "continue"
    assert engine.instance(iid).state is ProcessState.RUNNING
    # found within a few thousand rounds, not at the step budget of a million
    assert len(engine.trace(iid)) < 4 * WATCH_FROM
    assert engine.max_steps >= 1_000_000


def test_retrying_it_finds_the_loop_again_and_terminating_ends_it(engine: Engine) -> None:
    iid = run(engine, _looping(StandardLoop(condition="true")))
    [incident] = engine.incidents(iid)
    engine.retry_incident(incident.id)
    [again] = engine.incidents(iid)
    assert "loops without progress through a:" in again.message
    assert len(engine.trace(iid)) < 8 * WATCH_FROM
    engine.terminate(iid)
    assert engine.instance(iid).state is ProcessState.TERMINATED


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_a_loop_bounded_by_its_maximum_runs_to_it(engine: Engine) -> None:
    # nothing changes round to round but the count its LoopMaximum is compared with
    iid = run(engine, _looping(StandardLoop(condition="true", maximum=3 * WATCH_FROM)))
    assert engine.incidents(iid) == []
    assert engine.trace(iid).count("a") == 3 * WATCH_FROM
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_a_loop_counting_in_its_counter_without_a_maximum_runs_to_its_end(
    engine: Engine,
) -> None:
    iid = run(engine, _looping(StandardLoop(condition=f"i < {3 * WATCH_FROM}", counter="i")))
    assert engine.incidents(iid) == []
    assert engine.trace(iid).count("a") == 3 * WATCH_FROM
    assert engine.instance(iid).state is ProcessState.COMPLETED
