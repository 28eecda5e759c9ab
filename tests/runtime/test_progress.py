"""An automatic cycle that makes no progress ends fast, as an incident naming the cycle."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.progress import WATCH_FROM, ProgressWatch
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


class _Untouchable:
    """Queued work the watch must not look at."""

    def __iter__(self) -> None:
        raise AssertionError("the watch read the queued work")


def test_a_loop_that_calls_applications_pays_for_the_watch_only_at_its_snapshots() -> None:
    """Once an application was called after the snapshot, nothing can repeat the snapshot's
    state until the next one: the watch answers without reading the navigation state (it
    built a key of every queued item and join at every step of a long loop)."""
    watch = ProgressWatch()
    assert watch.repeating(WATCH_FROM, [], 0) is None  # the first snapshot reads it
    watch.calls += 1
    for step in range(WATCH_FROM + 1, 2 * WATCH_FROM):
        assert watch.repeating(step, _Untouchable(), 1) is None  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="read the queued work"):  # the next snapshot
        watch.repeating(2 * WATCH_FROM, _Untouchable(), 1)  # type: ignore[arg-type]
    assert watch.repeating(2 * WATCH_FROM, [], 0) is None
    # without a call since that snapshot the state is compared, and a repeat is a cycle
    assert watch.repeating(2 * WATCH_FROM + 1, [], 0) == []


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_a_loop_that_counts_in_its_data_is_told_apart_by_the_data_alone(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A script loop changes its data every round: the watch compares the data first and
    builds no key of the navigation state between snapshots (it built one every other step,
    three quarters again of such a loop's time)."""
    import wfengine.runtime.progress as progress

    keys = 0
    real_key = progress._key

    def counted(*args: object) -> object:
        nonlocal keys
        keys += 1
        return real_key(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(progress, "_key", counted)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").activity("bump", script="n = n + 1").route("r", gateway="Exclusive")
    p.end("e")
    p.transition("s", "bump").transition("bump", "r")
    p.transition("r", "bump", condition="n < 3000").transition("r", "e", otherwise=True)
    iid = run(engine, pb)
    assert engine.instance(iid).data["n"] == 3000
    assert engine.incidents(iid) == []
    assert 0 < keys <= 8  # one per snapshot (steps 1024, 2048, 4096), not one per step
