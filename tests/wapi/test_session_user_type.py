"""A session checks the users it is given as the engine does: ``None`` or ``""`` is a
``ValueError``, another type a ``TypeError``, each naming the operation and the argument."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, WorkItemState
from wfengine.wapi import connect


@pytest.mark.parametrize(
    ("to", "error"), [(7, TypeError), (["bob"], TypeError), (None, ValueError), ("", ValueError)]
)
def test_handing_an_item_on_checks_the_user_as_the_engine_does(
    engine: Engine, to: Any, error: type[Exception]
) -> None:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    engine.deploy(pb.build())
    [item] = engine.work_items(engine.start_process("ticket"))
    clerk = connect(engine, "clerk")
    clerk.claim_work_item(item.id)
    with pytest.raises(error, match="delegate_work_item: to must"):
        clerk.delegate_work_item(item.id, to)
    with pytest.raises(error, match="reassign_work_item: to must"):
        clerk.reassign_work_item(item.id, to)
    with pytest.raises(error, match="delegate_work_item: to must"):  # the engine's own
        engine.delegate_work_item(item.id, "clerk", to)
    now = engine.work_item(item.id)
    assert (now.state, now.holder) == (WorkItemState.ALLOCATED, "clerk")  # unchanged


@pytest.mark.parametrize(("user", "error"), [(7, TypeError), (None, ValueError)])
def test_a_session_user_is_checked_as_the_engine_does(
    engine: Engine, user: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="a session needs a user: connect: user must"):
        connect(engine, user)
