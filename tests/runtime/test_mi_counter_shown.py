"""The loop counter a person and a script of a parallel multi-instance activity's instance
see (docs/semantics.md, "Loop counters": the instance's index): each person's work item
showed the last index, as did a script in each block instance, since every instance wrote
the one shared field before any of them went on."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def test_each_persons_work_item_shows_its_instances_index(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("i", "INTEGER")
    p.activity("m", performer="clerk", loop=multi_instance("3", counter="i"))
    iid = run(engine, pb)
    items = sorted(engine.work_items(iid), key=lambda w: w.mi_index or 0)
    assert [engine.work_item_data(w.id).values["i"] for w in items] == [0, 1, 2]  # was 2, 2, 2
    assert engine.instance(iid).data["i"] == 2  # the field: the last index started


def test_a_script_in_each_block_instance_reads_its_index(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("i", "INTEGER")
    p.data_field("total", "INTEGER", initial="0")
    s = p.activity_set("per_parcel")
    s.activity("add", script="total = total + i * 10 + 1")
    p.block("each", activity_set="per_parcel", loop=multi_instance("3", counter="i"))
    iid = run(engine, pb)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["total"] == 33  # 1 + 11 + 21 (was 63: 21 three times)
