"""The loop counter of a parallel multi-instance activity (docs/semantics.md, "Loop counters":
the engine sets it, "in a multi-instance activity, to the instance's index"): every instance
was spawned, writing its index to the one shared field, before any of them went on, so what
ran later for an instance (the activities of its block, the applications after its person's
work, the way its thread takes) read the last index, on every store. Each instance now reads
its own index; the field itself keeps the last index started."""

from __future__ import annotations

from typing import Any

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def test_each_block_instance_of_a_parallel_mi_block_reads_its_own_index(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.application("ship", params=[("parcel", "IN", "INTEGER")])
    p = pb.process("main")
    p.data_field("i", "INTEGER")
    p.data_field("label", "STRING")
    s = p.activity_set("per_parcel")
    s.activity("send", tool="ship", args=["i"])
    s.activity("note", script="label = 'parcel ' + str(i)")
    s.transition("send", "note")
    p.block("each", activity_set="per_parcel", loop=multi_instance("3", counter="i"))
    shipped: list[int] = []
    engine.applications.register("ship", lambda parcel: shipped.append(parcel) or {})
    iid = run(engine, pb)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert shipped == [0, 1, 2]  # was [2, 2, 2]
    assert engine.instance(iid).data["i"] == 2  # the field: the last index started


def test_the_applications_after_each_persons_mi_instance_read_its_index(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.application("review", params=[("doc_no", "IN", "INTEGER")])
    p = pb.process("main")
    p.data_field("i", "INTEGER")
    loop = multi_instance("3", counter="i")
    p.activity("m", performer="clerk", start_mode="Manual", tool="review", args=["i"], loop=loop)
    seen: list[Any] = []
    engine.applications.register("review", lambda doc_no: seen.append(doc_no) or {})
    iid = run(engine, pb)
    items = engine.work_items(iid)
    for item in sorted(items, key=lambda w: -(w.mi_index or 0)):  # the last one first
        engine.complete_work_item(item.id)
    assert seen == [2, 1, 0]  # was [2, 2, 2]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_each_thread_of_an_mi_activity_with_flow_none_goes_its_own_way(engine: Engine) -> None:
    # WCP42, a thread split: each instance's thread reads its own index on its way out
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("i", "INTEGER")
    p.activity("m", performer="clerk", loop=multi_instance("3", flow="None", counter="i"))
    p.activity("first")
    p.activity("other")
    p.transition("m", "first", condition="i == 0")
    p.transition("m", "other", condition="i != 0")
    iid = run(engine, pb)
    for item in sorted(engine.work_items(iid), key=lambda w: -(w.mi_index or 0)):
        engine.complete_work_item(item.id)
    trace = engine.trace(iid)
    assert trace.count("first") == 1  # was 0: every thread read i == 2
    assert trace.count("other") == 2


def test_a_sequential_mi_activitys_instances_still_read_their_index(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.application("ship", params=[("parcel", "IN", "INTEGER")])
    p = pb.process("main")
    p.data_field("i", "INTEGER")
    loop = multi_instance("3", ordering="Sequential", counter="i")
    p.activity("send", tool="ship", args=["i"], loop=loop)
    shipped: list[int] = []
    engine.applications.register("ship", lambda parcel: shipped.append(parcel) or {})
    iid = run(engine, pb)
    assert shipped == [0, 1, 2]
    assert engine.instance(iid).data["i"] == 2
