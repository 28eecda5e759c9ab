"""A WAPI session's refusals: recorded in the audit trail, and users that name nobody."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wfengine import Engine, NotAuthorizedError, PackageBuilder, WorkItemState
from wfengine.wapi import Session, connect


def _item(engine: Engine) -> tuple[str, str]:
    """A new instance and its work item, offered to ``clerk``."""
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    engine.deploy(pb.build())
    instance_id = engine.start_process("ticket")
    [item] = engine.work_items(instance_id)
    return instance_id, item.id


@pytest.mark.parametrize(
    ("look", "operation"),
    [
        (Session.get_work_item, "see"),
        (Session.get_work_item_attributes, "see the data of"),
    ],
)
def test_looking_at_an_item_one_may_not_see_is_audited(
    engine: Engine, look: Callable[[Session, str], Any], operation: str
) -> None:
    instance_id, item_id = _item(engine)
    with pytest.raises(NotAuthorizedError, match=f"'mallory' may not {operation} work item"):
        look(connect(engine, "mallory"), item_id)
    [refused] = [e for e in engine.audit(instance_id) if e.kind == "operation.refused"]
    assert refused.detail["user"] == "mallory"
    assert refused.detail["operation"] == operation
    assert item_id in refused.detail["subject"]
    look(connect(engine, "clerk"), item_id)  # whom it is offered to sees it, unrecorded
    assert len([e for e in engine.audit(instance_id) if e.kind == "operation.refused"]) == 1


@pytest.mark.parametrize("nobody", [None, ""])
def test_handing_an_item_to_nobody_is_refused(engine: Engine, nobody: Any) -> None:
    _, item_id = _item(engine)
    clerk = connect(engine, "clerk")
    clerk.claim_work_item(item_id)
    with pytest.raises(ValueError, match="delegating needs a user to delegate to"):
        clerk.delegate_work_item(item_id, nobody)
    with pytest.raises(ValueError, match="reassigning needs a user to reassign to"):
        clerk.reassign_work_item(item_id, nobody)
    item = engine.work_item(item_id)
    assert (item.state, item.holder) == (WorkItemState.ALLOCATED, "clerk")  # unchanged


@pytest.mark.parametrize("nobody", [None, ""])
def test_a_session_needs_a_user(engine: Engine, nobody: Any) -> None:
    with pytest.raises(ValueError, match="a session needs a user"):
        connect(engine, nobody)


def test_a_session_user_of_another_type_is_a_type_error(engine: Engine) -> None:
    with pytest.raises(TypeError, match="a session needs a user"):
        connect(engine, 7)
