"""``change_activity_instance_state`` takes ``aborted`` as well as ``closed.aborted``, as its
sibling ``change_process_instance_state`` takes the last word of its states: it cancels the
open activity instance either way, the withdrawal recorded as the session user's."""

from __future__ import annotations

import pytest

from wfengine import ActivityState, Engine, PackageBuilder
from wfengine.wapi import connect


@pytest.mark.parametrize(
    "state", ["aborted", "closed.aborted", ActivityState.ABORTED], ids=["word", "name", "member"]
)
def test_cancel_an_activity_by_either_name(engine: Engine, state: str | ActivityState) -> None:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    engine.deploy(pb.build())
    session = connect(engine, "clerk")
    instance_id = session.create_process_instance("ticket")
    session.start_process(instance_id)
    [answer] = [
        a for a in session.open_activity_instances_list(instance_id) if a.activity_id == "answer"
    ]
    session.change_activity_instance_state(instance_id, answer.id, state)
    assert session.get_activity_instance(instance_id, answer.id).state is ActivityState.ABORTED
    assert engine.work_items(instance_id) == []  # its item withdrawn, its branch ended
    mine = engine.audit_events(instance_id=instance_id, user="clerk")
    assert "work_item.cancelled" in [e.kind for e in mine]
