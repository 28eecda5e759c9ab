"""``reoffer_work`` when an open instance's stored version no longer compiles: that instance
is left as it is (its work offered as before) and named, every other instance's work is
re-offered, and a rerun once the instance is terminated finishes. Before, the DeployError of
loading it stopped the whole re-offer, and every rerun stopped there again."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import rewrite_stored
from wfengine import Engine, PackageBuilder
from wfengine.runtime.reoffer import VersionsLeft
from wfengine.worklist.organisation import Organisation


def _org(*clerks: str) -> Organisation:
    return Organisation.from_data({"users": [{"id": c, "roles": ["clerk"]} for c in clerks]})


def _deploy(engine: Engine, process_id: str, reminder: bool) -> None:
    pb = PackageBuilder(process_id)
    pb.participant("clerk", type="ROLE")
    extended = {"wfengine:reminder-every": "PT5M"} if reminder else None
    pb.process(process_id).activity("answer", performer="clerk", extended=extended)
    engine.deploy(pb.build())


def test_the_other_instances_are_reoffered_and_a_rerun_finishes(db_url: str) -> None:
    with Engine(db_url=db_url, directory=_org("ann")) as engine:
        _deploy(engine, "desk", reminder=True)
        _deploy(engine, "good", reminder=False)
        broken, good = engine.start_process("desk"), engine.start_process("good")
    # 'desk' v1 as an earlier wfengine stored it: this one cannot compile it
    rewrite_stored(db_url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')
    with Engine(db_url=db_url, directory=_org("ben")) as engine:
        with pytest.raises(VersionsLeft) as left:
            engine.reoffer_work()
        assert left.value.left == (broken,)
        assert [r.instance_id for r in left.value.reoffered] == [good]
        assert "does not compile" in str(left.value) and repr(broken) in str(left.value)
        assert [w.assignees for w in engine.store.open_work_items(good)] == [("ben",)]
        assert [w.assignees for w in engine.store.open_work_items(broken)] == [("ann",)]
        engine.terminate(broken)
        assert engine.reoffer_work() == []  # (the others were re-offered already)
