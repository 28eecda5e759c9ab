"""``add_mi_instance`` on a multi-instance activity whose count could not be had says the
activity's open incident holds it, naming the incident and what to do.

It said "it is not multi-instance", which sent the operator to the definition; the activity
is multi-instance, and it takes instances once its count is had (set the data, retry).
"""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.errors import IllegalStateError
from wfengine.runtime.engine import Engine


def test_adding_to_an_activity_whose_count_failed_names_the_incident(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("c", "INTEGER")
    p.subflow("m", process="child", loop=multi_instance("c"))
    pb.process("child").activity("w", performer="clerk")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    [container] = engine.activity_instances(iid)
    with pytest.raises(IllegalStateError) as caught:
        engine.add_mi_instance(container.id)
    said = str(caught.value)
    assert f"it is held by its open incident {incident.id!r}" in said
    assert "instance count could not be had" in said
    assert "set the data the count reads (set_data) and retry that incident" in said
    assert "not multi-instance" not in said
    assert said.endswith("nothing was changed")
    # as it says: the data set and the incident retried, an instance is added
    engine.set_data(iid, {"c": 1})
    engine.retry_incident(incident.id)
    assert engine.add_mi_instance(container.id) is not None
    assert len(engine.work_items()) == 2  # one per called instance


def test_adding_to_an_activity_that_is_not_multi_instance_still_says_so(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("main").activity("m", performer="clerk")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    [ai] = engine.activity_instances(iid)
    with pytest.raises(IllegalStateError, match="it is not multi-instance"):
        engine.add_mi_instance(ai.id)
