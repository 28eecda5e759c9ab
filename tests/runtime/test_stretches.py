"""A long automatic run commits in stretches (``RuntimeLimits.commit_every``): each stretch
is its own transaction, the rest waits in a ``continue`` job the engine runs at once, so the
caller still gets the whole run from one call, a crash loses at most one stretch, and the
step budget counts the whole run. Run on every store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from tests.runtime.counter_loop import deploy_counter_loop
from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.history import EventKind
from wfengine.runtime.limits import RuntimeLimits

STRETCH = 1_500


@pytest.fixture
def stretching(request: pytest.FixtureRequest, store_kind: str, tmp_path: Path) -> Iterator[Engine]:
    limits = RuntimeLimits(commit_every=STRETCH, max_steps=20_000)
    url = store_url(request, store_kind, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, limits=limits) as e:
        yield e


def _deferred(engine: Engine, iid: str) -> int:
    return sum(ev.kind == EventKind.INSTANCE_DEFERRED for ev in engine.audit(iid))


def test_one_call_runs_the_whole_long_run_in_stretches(stretching: Engine) -> None:
    e = stretching
    e.applications.register("inc", lambda n: {"n": n + 1})
    deploy_counter_loop(e, "i < 4000")
    iid = e.start_process("loop")
    assert e.instance(iid).state is ProcessState.COMPLETED
    assert e.instance(iid).data == {"i": 4000}
    assert e.trace(iid) == ["begin", *["body"] * 4000, "end"]
    assert _deferred(e, iid) == 4002 // STRETCH  # a commit after every STRETCH steps
    assert e.jobs(iid) == []


def _whole_trail(e: Engine, iid: str, iterations: int) -> None:
    """The run's trail is whole: every event numbered once and in order, each loop iteration's
    application call and activity instance recorded, and on a database its hash chain
    intact. (A long command hands its history to the store every ``TAKE_EVERY`` steps, not
    only at its commits: none of it may be lost, doubled or chained out of order.)"""
    events = e.audit(iid)
    assert [ev.seq for ev in events] == list(range(1, len(events) + 1))
    kinds = [ev.kind for ev in events]
    assert kinds.count("application.returned") == iterations
    assert kinds.count("activity.completed") == iterations + 2
    done = e.activity_instances(iid)
    assert [a.activity_id for a in done] == ["begin", *["body"] * iterations, "end"]
    assert len({a.id for a in done}) == len(done)
    if e.store.__class__.__name__ == "SqlStore":
        report = e.verify_audit(iid)
        assert report.ok and report.events == len(events)


def test_a_long_run_leaves_its_whole_trail(stretching: Engine) -> None:
    e = stretching
    e.applications.register("inc", lambda n: {"n": n + 1})
    deploy_counter_loop(e, "i < 4000")
    iid = e.start_process("loop")
    _whole_trail(e, iid, 4000)


def test_an_interrupted_run_carries_on_from_its_last_stretch(db_url: str) -> None:
    """On a database (the memory store keeps nothing through a crash)."""
    limits = RuntimeLimits(commit_every=STRETCH)
    with Engine(clock=VirtualClock(), db_url=db_url, limits=limits) as e:
        _interrupted(e)


def _interrupted(e: Engine) -> None:
    calls = []

    def inc(n: int) -> dict[str, int]:
        calls.append(n)
        if n == 2_000 and calls.count(n) == 1:
            raise KeyboardInterrupt  # the process stops in the middle of the second stretch
        return {"n": n + 1}

    e.applications.register("inc", inc)
    deploy_counter_loop(e, "i < 4000")
    with pytest.raises(KeyboardInterrupt):
        e.start_process("loop")
    [summary] = e.instance_summaries()
    iid = summary.id
    assert summary.state is ProcessState.RUNNING
    stored = e.instance(iid).data["i"]
    assert 0 < stored < 2_000  # the first stretch is committed, the second is not
    [job] = e.jobs(iid)
    assert job.kind == "continue"
    assert e.run_due_jobs() == 0  # given back with a back-off
    e.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    assert e.run_due_jobs() == 1  # whoever claims it runs the rest
    assert e.instance(iid).state is ProcessState.COMPLETED
    assert e.instance(iid).data == {"i": 4000}
    assert e.trace(iid) == ["begin", *["body"] * 4000, "end"]
    _whole_trail(e, iid, 4000)  # what the interrupted stretch had set aside is not there


def test_the_step_budget_counts_every_stretch_of_a_run(stretching: Engine) -> None:
    e = stretching
    e.applications.register("inc", lambda n: {"n": n + 1})
    deploy_counter_loop(e, "i >= 0")  # endless, though its data changes at every step
    iid = e.start_process("loop")
    assert e.instance(iid).state is ProcessState.RUNNING
    [incident] = e.incidents(iid)
    assert incident.operation == "continue"
    assert "more than 20000 automatic steps" in incident.message
    assert 19_000 < e.instance(iid).data["i"] <= 20_000
    assert e.jobs(iid) == []  # no stretch left behind: the incident holds the rest


def test_a_fan_out_over_many_instances_is_not_cut(stretching: Engine) -> None:
    """Ready work of several instances (subflows started together) commits whole: stretches
    would take a command per instance, each rewriting the parent they report to."""
    from wfengine.definition.model import MultiInstanceLoop

    pb = PackageBuilder("stretches")
    pb.process("child").activity("a").activity("b").transition("a", "b")
    fan = MultiInstanceLoop(mi_condition="800")
    pb.process("parent").subflow("each", process="child", loop=fan)
    stretching.deploy(pb.build())
    iid = stretching.start_process("parent")
    assert stretching.instance(iid).state is ProcessState.COMPLETED
    children = stretching.instance_summaries(process_id="child")
    assert len(children) == 800
    assert {c.state for c in children} == {ProcessState.COMPLETED}
    assert all(_deferred(stretching, i.id) == 0 for i in [*children[:5], *children[-5:]])
    assert _deferred(stretching, iid) == 0


def test_a_stretch_of_no_steps_is_refused() -> None:
    with pytest.raises(ValueError, match=r"commit_every: at least 1 step per commit \(0\)"):
        RuntimeLimits(commit_every=0)


def _zero_timer_beside_a_chain(scripts: int) -> PackageBuilder:
    """A split into a timer already due (``PT0S``) and a chain of scripts, joined again."""
    b = PackageBuilder("ce")
    p = b.process("main")
    p.data_field("f0", "INTEGER", initial="0")
    p.start("start")
    p.route("split", gateway="Parallel")
    p.intermediate("tm", timer="PT0S")
    ids = [f"s{i}" for i in range(1, scripts + 1)]
    for i in ids:
        p.activity(i, script="f0 = f0 + 1")
    p.route("join", gateway="Parallel")
    p.end("end")
    for a, z in [("start", "split"), ("split", "tm"), ("tm", "join"), ("split", ids[0])]:
        p.transition(a, z)
    for a, z in zip(ids, [*ids[1:], "join"], strict=True):
        p.transition(a, z)
    p.transition("join", "end")
    return b


def test_a_due_timer_fired_between_stretches_does_not_drop_the_next_stretch(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> None:
    """A timer already due when its stretch committed fires before the next stretch runs, as
    a command of its own; the run's next ``continue`` job was dropped by it, and the call
    returned with the instance half run and the job left for a worker (never run by a host
    without one)."""
    url = store_url(request, store_kind, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, limits=RuntimeLimits(commit_every=2)) as e:
        e.deploy(_zero_timer_beside_a_chain(4).build())
        iid = e.start_process("main")
        assert e.instance(iid).state is ProcessState.COMPLETED
        assert e.instance(iid).data == {"f0": 4}
        assert e.jobs(iid) == []
        assert sorted(e.trace(iid)) == sorted(
            ["start", "split", "s1", "s2", "s3", "s4", "tm", "join", "end"]
        )


def _two_children_with_zero_timers() -> PackageBuilder:
    """A caller whose run splits into two subflows of one process, each beginning with a
    timer already due and going on through five scripts; joined again."""
    b = PackageBuilder("sf")
    c = b.process("child")
    c.data_field("f0", "INTEGER", initial="0")
    c.start("cs")
    c.intermediate("tm", timer="PT0S")
    c.end("ce")
    steps = [f"a{i}" for i in range(1, 6)]
    for i in steps:
        c.activity(i, script="f0 = f0 + 1")
    c.sequence("cs", "tm", *steps, "ce")
    p = b.process("caller")
    p.data_field("g", "INTEGER", initial="0")
    p.start("start")
    p.route("split", gateway="Parallel")
    p.route("join", gateway="Parallel")
    p.end("end")
    steps = [f"s{i}" for i in range(1, 4)]
    for i in steps:
        p.activity(i, script="g = g + 1")
    for a, z in zip(["start", *steps], [*steps, "split"], strict=True):
        p.transition(a, z)
    for k in ("c1", "c2"):
        p.subflow(k, process="child")
        p.transition("split", k)
        p.transition(k, "join")
    p.transition("join", "end")
    return b


@pytest.mark.parametrize("every", [2, 3])
def test_two_due_timers_fired_between_stretches_each_keep_their_next_stretch(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path, every: int
) -> None:
    """Two timers due at once fire one after the other between stretches, each a command of
    its own that stretches: the second dropped the first's next ``continue`` job (a child
    left half run)."""
    url = store_url(request, store_kind, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, limits=RuntimeLimits(commit_every=every)) as e:
        e.deploy(_two_children_with_zero_timers().build())
        iid = e.start_process("caller")
        assert e.instance(iid).state is ProcessState.COMPLETED
        children = [s.id for s in e.instance_summaries() if s.id != iid]
        assert len(children) == 2
        for child in children:
            assert e.instance(child).state is ProcessState.COMPLETED
            assert e.instance(child).data == {"f0": 5}
            assert e.jobs(child) == []
