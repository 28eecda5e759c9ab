"""A manual-start script task whose script fails after the person completes its work item
opens a ``run`` incident naming no application. It was taken for a failed offer (an older
engine's, stored as ``run``): skipping it was refused as "an offer of a person's work that
reached no one", and a retry offered the person's work again instead of running the script
again. Like a manual-start Tool's, its trail tells which it was."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, ProcessState


def _failing_script() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.data_field("d", "INTEGER", initial="0")
    p.start("s").activity("calc", script="x = 10 / d", performer="clerk", start_mode="Manual")
    p.activity("e")
    p.sequence("s", "calc", "e")
    return pb


@pytest.mark.parametrize("db", [None, "sqlite"])
def test_a_retry_runs_the_script_again_and_a_skip_is_allowed(
    db: str | None, tmp_path: object
) -> None:
    url = None if db is None else f"sqlite:///{tmp_path}/wf.db"
    with Engine(db_url=url) as engine:
        engine.deploy(_failing_script().build())
        iid = engine.start_process("main")
        [item] = engine.work_items(iid)
        engine.complete_work_item(item.id)
        [incident] = engine.incidents(iid)
        assert incident.operation == "run" and incident.application_id is None
        engine.set_data(iid, {"d": 2})
        engine.retry_incident(incident.id)
        assert engine.work_items(iid) == []  # not offered again: the person had done it
        assert engine.instance(iid).data["x"] == 5
        assert engine.instance(iid).state is ProcessState.COMPLETED

        second = engine.start_process("main")
        [item] = engine.work_items(second)
        engine.complete_work_item(item.id)
        [incident] = engine.incidents(second)
        engine.skip_incident(incident.id, {"x": 7})
        assert engine.instance(second).data["x"] == 7
        assert engine.instance(second).state is ProcessState.COMPLETED
