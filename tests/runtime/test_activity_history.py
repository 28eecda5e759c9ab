"""Closed activity instances and the trace leave the instance's records at each commit, so a
loop's instance stays the same size however many iterations it made, while everything a user
reads of its history (``activity_instances``, ``trace``, a completed work item's data) and
every rule that looks back (work sent back, the performer of an earlier activity) stays as
it was. Run on every store."""

from __future__ import annotations

import gc
import itertools
import json
from typing import Any

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import complete_all
from tests.runtime.counter_loop import deploy_counter_loop
from wfengine import ActivityState, Engine, IllegalStateError, PackageBuilder, ProcessState
from wfengine.definition.builder import multi_instance
from wfengine.errors import NotFoundError
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.navigation.agenda import TAKE_EVERY
from wfengine.runtime.packed_log import PACK_AT
from wfengine.runtime.sql import schema
from wfengine.runtime.sql.commit import TRACE_KEPT


def _held(engine: Engine, iid: str) -> tuple[int, int, int]:
    """What the instance's own record holds: (activity instances, scopes, trace entries); on a
    database, read from its stored document."""
    if isinstance(engine.store, MemoryStore):
        inst = engine.store.instance(iid)
        return len(inst.activities), len(inst.scopes), len(inst.trace)
    with engine.store.sa_engine.connect() as conn:
        p = schema.process_instances
        blob: Any = conn.execute(sa.select(p.c.state_blob).where(p.c.id == iid)).scalar_one()
    document = json.loads(blob) if isinstance(blob, str) else blob
    return len(document["activities"]), len(document["scopes"]), len(document["trace"])


def _automatic_loop(engine: Engine, n: int) -> str:
    engine.applications.register("inc", lambda n: {"n": n + 1})
    deploy_counter_loop(engine, f"i < {n}")
    return engine.start_process("loop")


def test_a_long_automatic_loop_keeps_its_whole_history_outside_the_instance(
    engine: Engine,
) -> None:
    n = TRACE_KEPT + 44  # more trace entries than a document keeps
    iid = _automatic_loop(engine, n)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.trace(iid) == ["begin", *["body"] * n, "end"]
    history = engine.activity_instances(iid)
    assert [a.activity_id for a in history] == ["begin", *["body"] * n, "end"]
    assert [a.id for a in history] == [f"{iid}:{k}" for k in range(1, n + 3)]
    assert {a.state for a in history} == {ActivityState.COMPLETED}
    assert _held(engine, iid) == (0, 1, 0)  # the top-level scope only


def _manual_loop(engine: Engine) -> str:
    pb = PackageBuilder("history")
    p = pb.process("desk")
    p.data_field("again", "BOOLEAN", initial="true")
    p.activity("start").activity("answer", performer="clerk", writes=["again"])
    p.activity("done").transition("start", "answer")
    p.transition("answer", "answer", condition="again").transition("answer", "done", otherwise=True)
    engine.deploy(pb.build())
    return engine.start_process("desk")


def test_a_manual_loop_holds_only_its_open_work_whatever_its_iterations(engine: Engine) -> None:
    iid = _manual_loop(engine)
    sizes = []
    for round_ in range(30):
        (item,) = engine.work_items(iid)
        engine.complete_work_item(item.id, {"again": round_ < 29}, user="clerk")
        if round_ in (1, 28):
            sizes.append(_held(engine, iid))
    trace = sizes[1][2]
    assert sizes[0][:2] == sizes[1][:2] == (1, 1)  # the open "answer" and the top level
    assert trace <= TRACE_KEPT
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.trace(iid) == ["start", *["answer"] * 30, "done"]
    performers = [a.performer for a in engine.activity_instances(iid) if a.activity_id == "answer"]
    assert performers == ["clerk"] * 30


def test_work_sent_back_goes_to_whoever_did_it_last_after_many_commands(engine: Engine) -> None:
    pb = PackageBuilder("history")
    p = pb.process("p")
    p.activity("draft", performer="bob").activity("check", performer="dan")
    p.activity("sign", performer="eve")
    p.transition("draft", "check").transition("check", "sign")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    (draft,) = engine.work_items(iid)
    engine.complete_work_item(draft.id, user="bob")
    (check,) = engine.work_items(iid)
    engine.claim_work_item(check.id, "dan")
    assert _held(engine, iid)[0] == 1  # "draft" left the instance's records
    engine.send_back_work_item(check.id, "dan", "draft", "the amount is missing")
    (again,) = engine.work_items(iid)
    assert (again.activity_id, again.holder) == ("draft", "bob")
    with pytest.raises(NotFoundError, match="sign"):
        engine.send_back_work_item(again.id, "bob", "sign", "never ran")


def test_a_closed_activity_instance_is_refused_by_name_and_state(engine: Engine) -> None:
    iid = _manual_loop(engine)
    (item,) = engine.work_items(iid)
    first = item.activity_instance_id
    engine.complete_work_item(item.id, {"again": True})
    with pytest.raises(IllegalStateError, match=r"'answer'.*closed\.completed"):
        engine.cancel_activity(iid, first)
    with pytest.raises(IllegalStateError, match="not multi-instance"):
        engine.add_mi_instance(first)
    with pytest.raises(NotFoundError, match=f"{iid}:999"):
        engine.cancel_activity(iid, f"{iid}:999")


def test_a_completed_work_item_still_shows_the_data_it_could_read(engine: Engine) -> None:
    iid = _manual_loop(engine)
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id, {"again": False})
    assert engine.instance(iid).state is ProcessState.COMPLETED
    shown = engine.work_item_data(item.id)
    assert (shown.values, shown.writable) == ({"again": False}, ("again",))


def test_the_history_of_a_subflow_and_a_multi_instance_activity_reads_back(
    engine: Engine,
) -> None:
    pb = PackageBuilder("history")
    p = pb.process("mi")
    p.activity("each", performer="clerk", loop=multi_instance("3")).activity("after")
    p.transition("each", "after")
    engine.deploy(pb.build())
    iid = engine.start_process("mi")
    complete_all(engine, iid)
    kinds = [(a.activity_id, a.mi_index, a.state) for a in engine.activity_instances(iid)]
    assert kinds[0] == ("each", None, ActivityState.COMPLETED)
    assert sorted(k[1] for k in kinds[1:4]) == [0, 1, 2]
    assert kinds[4] == ("after", None, ActivityState.COMPLETED)
    assert engine.trace(iid) == ["each", "each", "each", "after"]  # its 3 instances
    assert _held(engine, iid)[0] == 0


def test_a_loop_over_a_block_keeps_only_the_running_rounds_scope(engine: Engine) -> None:
    pb = PackageBuilder("history")
    p = pb.process("p")
    p.data_field("again", "BOOLEAN", initial="true")
    s = p.activity_set("inner")
    s.activity("x").activity("y", performer="clerk", writes=["again"]).sequence("x", "y")
    p.activity("a").block("blk", activity_set="inner").activity("z")
    p.transition("a", "blk").transition("blk", "blk", condition="again")
    p.transition("blk", "z", otherwise=True)
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    for round_ in range(6):
        (item,) = engine.work_items(iid)
        assert item.activity_id == "y"
        # the open block and its "y", in the top level and the block's own scope
        assert _held(engine, iid)[:2] == (2, 2), round_
        engine.complete_work_item(item.id, {"again": round_ < 5})
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.trace(iid) == ["a", *["x", "y", "blk"] * 6, "z"]
    done = [a.activity_id for a in engine.activity_instances(iid)]
    assert done == ["a", *["blk", "x", "y"] * 6, "z"]


def test_the_memory_store_keeps_history_without_an_object_per_event() -> None:
    """What a memory store keeps of closed work is plain values in one list per instance.

    The garbage collector counts every container object that stays alive and runs a full pass
    over the whole heap each time enough have piled up: a store that kept a tuple per audit
    event and per activity instance (three per activity of a chain) spent a fifth of a long
    run in those passes. What an instance keeps besides (its own record) is the same however
    many activities it ran. The count below is the collector's own (allocations less frees of
    the objects it tracks), with the collector off so that no pass resets it.
    """
    pb = PackageBuilder("history")
    p = pb.process("chain")
    names = [f"a{k}" for k in range(100)]
    for name in names:
        p.activity(name)
    for a, b in itertools.pairwise(names):
        p.transition(a, b)
    engine = Engine()
    engine.deploy(pb.build())
    engine.start_process("chain")  # the first run warms the engine's caches
    gc.collect()
    gc.disable()
    try:
        before = gc.get_count()[0]
        started = [engine.start_process("chain") for _ in range(20)]
        kept = gc.get_count()[0] - before
    finally:
        gc.enable()
    assert len(engine.activity_instances(started[-1])) == len(names)
    assert [e.kind for e in engine.audit(started[-1])][-2:] == [
        "activity.completed",
        "instance.state",
    ]
    per_activity = kept / (20 * len(names))  # 3.3 with a tuple per event, 0.3 now
    assert per_activity < 1, f"{per_activity:.2f} objects kept per activity"


def test_a_long_run_on_the_memory_store_keeps_its_history_out_of_the_collectors_way() -> None:
    """An application call's audit details hold dicts (its inputs, its outputs), which the
    collector tracks; a store that kept them as they are had it rescan two more objects per
    loop iteration on every full pass (a loop of a million iterations ran a third slower per
    iteration than one of a thousand, in 1.2 GB). A long history is packed as it grows
    (:mod:`wfengine.runtime.packed_log`): what stays tracked is at most its newest part,
    however long the run. And it reads the same."""
    n = 6_000
    engine = Engine()
    engine.applications.register("inc", lambda n: {"n": n + 1})
    iid = _waiting_loop(engine, n)
    (item,) = engine.work_items(iid)
    gc.collect()
    before = {id(o) for o in gc.get_objects()}
    engine.complete_work_item(item.id)
    gc.collect()
    tracked = sum(1 for o in gc.get_objects() if id(o) not in before)
    # unpacked: two per iteration (more than 12,000); packed: the newest events' only
    assert tracked < PACK_AT // 5, f"{tracked} objects tracked after {n} iterations"
    assert engine.instance(iid).data["i"] == n
    events = engine.audit(iid)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    calls = [e for e in events if e.kind == "application.invoked"]
    assert [c.detail["inputs"] for c in calls] == [{"n": k} for k in range(n)]
    returned = [e.detail["outputs"] for e in events if e.kind == "application.returned"]
    assert returned == [{"n": k + 1} for k in range(n)]
    assert engine.trace(iid) == ["ask", *["body"] * n, "end"]
    done = engine.activity_instances(iid)
    assert [a.activity_id for a in done] == ["ask", *["body"] * n, "end"]
    assert all(a.state is ActivityState.COMPLETED for a in done)


def _waiting_loop(engine: Engine, n: int) -> str:
    """An instance waiting at a person's step, after which a loop of ``n`` iterations runs
    in the command that completes it (so the instance is stored while the loop runs)."""
    pb = PackageBuilder("history")
    p = pb.process("later")
    p.data_field("i", "INTEGER", initial="0")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    p.activity("ask", performer="clerk").activity("body", tool="inc", args=["i"])
    p.activity("end").transition("ask", "body")
    p.transition("body", "body", condition=f"i < {n}").transition("body", "end", otherwise=True)
    engine.deploy(pb.build())
    return engine.start_process("later")


def test_a_long_command_on_the_memory_store_hands_its_history_over_as_it_runs() -> None:
    """While one command runs 1,500 loop iterations, the instance's own records hold only
    the last steps' closed activity instances and events: the memory store takes the rest
    every ``TAKE_EVERY`` steps, not at the commit (records that stay live through thousands
    of steps reach the collector's old generation, which every full pass rescans). The run
    leaves the whole history all the same."""
    engine = Engine()
    held: list[tuple[int, int]] = []
    iid = ""

    def inc(n: int) -> dict[str, int]:
        if n % 100 == 99:
            inst = engine.store.instance(iid)  # the memory store's live record
            held.append((len(inst.activities), len(inst.changes)))
        return {"n": n + 1}

    engine.applications.register("inc", inc)
    iid = _waiting_loop(engine, 1500)
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert len(held) == 15
    assert max(a for a, _ in held) <= 1 + TAKE_EVERY  # the running "body" and the last ones
    assert max(c for _, c in held) <= 5 * TAKE_EVERY
    assert engine.trace(iid) == ["ask", *["body"] * 1500, "end"]
    assert [a.activity_id for a in engine.activity_instances(iid)] == [
        "ask",
        *["body"] * 1500,
        "end",
    ]
    kinds = [e.kind for e in engine.audit(iid)]
    assert kinds.count("application.returned") == 1500
    assert kinds[-1] == "instance.state"


def test_reading_the_trail_inside_a_long_first_command_sees_no_instance_half_stored() -> None:
    """An application reading the audit trail while the command that created its instance
    runs (past a take of its history) reads what is committed, without tripping over the
    instance the store has events of but no record yet."""
    engine = Engine()
    read: list[set[str]] = []

    def inc(n: int) -> dict[str, int]:
        if n == TAKE_EVERY + 10:
            read.append({e.instance_id for e in engine.audit_events()})
        return {"n": n + 1}

    engine.applications.register("inc", inc)
    deploy_counter_loop(engine, f"i < {TAKE_EVERY + 20}")
    iid = engine.start_process("loop")
    assert read == [set()]
    assert engine.instance(iid).state is ProcessState.COMPLETED
