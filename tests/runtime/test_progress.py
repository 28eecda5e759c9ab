"""An automatic cycle that makes no progress ends fast, as an incident naming the cycle."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.progress import WATCH_FROM
from wfengine.runtime.states import ProcessState


def _spinning() -> PackageBuilder:
    """s -> r; r's first way leads back to r through q: r -> q -> r -> q ... never ends."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").route("r", gateway="Exclusive").route("q").end("e")
    p.transition("s", "r").transition("r", "q").transition("r", "e").transition("q", "r")
    return pb


def test_a_cycle_without_progress_becomes_an_incident_naming_it(engine: Engine) -> None:
    iid = run(engine, _spinning())
    [incident] = engine.incidents(iid)
    assert "loops without progress through r -> q" in incident.message
    assert incident.activity_id == "r"
    assert engine.instance(iid).state is ProcessState.RUNNING
    # found within a few thousand steps, not at the step budget of a million
    assert len(engine.trace(iid)) < 4 * WATCH_FROM
    assert engine.max_steps >= 1_000_000


def test_retrying_it_finds_the_cycle_again_and_terminating_ends_it(engine: Engine) -> None:
    iid = run(engine, _spinning())
    [incident] = engine.incidents(iid)
    engine.retry_incident(incident.id)
    [again] = engine.incidents(iid)
    assert "loops without progress" in again.message
    engine.terminate(iid)
    assert engine.instance(iid).state is ProcessState.TERMINATED


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_a_long_loop_that_changes_data_is_not_a_cycle(engine: Engine) -> None:
    # 3,000 rounds, each changing n through an application: real progress, runs to the end
    pb = PackageBuilder("pkg")
    pb.application("inc", params=[("n", "INOUT", "INTEGER")])
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").activity("bump", tool="inc", args=["n"]).route("r", gateway="Exclusive")
    p.end("e")
    p.transition("s", "bump").transition("bump", "r")
    p.transition("r", "bump", condition="n < 3000").transition("r", "e", otherwise=True)
    engine.applications.register("inc", lambda n: {"n": n + 1})
    iid = run(engine, pb)
    assert engine.incidents(iid) == []
    assert engine.instance(iid).data["n"] == 3000
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_a_loop_counting_in_a_loop_counter_is_progress(engine: Engine) -> None:
    from wfengine.definition.model import StandardLoop

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("i", "INTEGER", initial="0")
    p.activity("again", loop=StandardLoop(condition="True", maximum=5000, counter="i"))
    iid = run(engine, pb)
    assert engine.incidents(iid) == []
    assert engine.trace(iid).count("again") == 5000
