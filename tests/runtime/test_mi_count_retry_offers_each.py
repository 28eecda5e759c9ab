"""Retrying the failed-count incident of a person's multi-instance activity counts again.

The incident of a count that could not be had (operation ``run``, no application) was taken
for a failed offer of an older engine: the retry offered one plain work item on the
container instead of one per instance, and skip refused it as an offer that reached no one.
"""

from __future__ import annotations

from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _deploy(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("c", "INTEGER")
    p.activity("w", performer="clerk", loop=multi_instance("c"))
    engine.deploy(pb.build())
    return engine.start_process("main")


def test_a_retried_count_offers_one_item_per_instance(engine: Engine) -> None:
    iid = _deploy(engine)
    [incident] = engine.incidents(iid)
    assert engine.work_items(iid) == []
    engine.set_data(iid, {"c": 3})
    engine.retry_incident(incident.id)
    items = engine.work_items(iid)
    assert sorted(item.mi_index for item in items) == [0, 1, 2]
    for item in items:
        engine.complete_work_item(item.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_failed_count_can_be_skipped(engine: Engine) -> None:
    iid = _deploy(engine)
    [incident] = engine.incidents(iid)
    engine.skip_incident(incident.id)
    assert engine.work_items(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED
