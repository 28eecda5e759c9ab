"""Completing a work item with a field's Name that is no plain identifier ("Days requested",
Id ``days``) is the engine's ``DataTypeError`` naming the Id to give, for the performer and an
administrator alike, whether or not another field has a usable Name; nothing is recorded and
the item stays open. With no usable Name in the process, the performer was refused ("may not
write 'Days requested'", recorded as ``operation.refused``) and an administrator told "no data
field", which sent both looking for a field that is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import DataTypeError, Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.runtime.states import WorkItemState
from wfengine.wapi import connect

_GIVE_THE_ID = r"'Days requested' is the Name of data field 'days'.*give the Id 'days'"


def _engine(url: str | None, other_named: bool) -> Engine:
    engine = Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG))
    pb = PackageBuilder("desk")
    p = pb.process("leave")
    p.data_field("days", "INTEGER", name="Days requested")
    if other_named:  # a field with a usable Name (this case was right already)
        p.data_field("other", "STRING", name="Other")
    p.start("s").activity("ask", performer="clerk", writes=["days"]).end("e")
    p.sequence("s", "ask", "e")
    engine.deploy(pb.build())
    return engine


@pytest.mark.parametrize("other_named", [False, True], ids=["only-unusable", "one-usable"])
@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_completing_by_an_unusable_name_names_the_id(
    store: str, other_named: bool, tmp_path: Path
) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with _engine(url, other_named) as engine:
        instance_id = engine.start_process("leave")
        [item] = engine.work_items(instance_id)
        for user in ("alice", "root"):  # the performer, an administrator
            with pytest.raises(DataTypeError, match=_GIVE_THE_ID):
                connect(engine, user).complete_work_item(item.id, {"Days requested": 3})
        with pytest.raises(DataTypeError, match=_GIVE_THE_ID):  # the engine's own command
            engine.complete_work_item(
                item.id, {"Days requested": 3}, user="root", allow_undeclared=True
            )
        assert [e for e in engine.audit(instance_id) if e.kind == "operation.refused"] == []
        assert engine.work_item(item.id).state is WorkItemState.OFFERED
        connect(engine, "alice").complete_work_item(item.id, {"days": 3})  # the Id: taken
        assert engine.instance(instance_id).data["days"] == 3
