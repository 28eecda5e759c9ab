"""A user the organisation does not know is refused before an id is looked up: the same
``NotAuthorizedError`` for an id that exists (recorded in its trail) and one that does not.
It was a ``NotFoundError`` for the ids that do not exist, which told them which do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, NotAuthorizedError, Organisation, PackageBuilder, VirtualClock
from wfengine.wapi import connect

_STRANGER = "the organisation does not know them"


@pytest.mark.parametrize(
    "look",
    [
        lambda s, wi, _pi: s.get_work_item(wi),
        lambda s, wi, _pi: s.get_work_item_attributes(wi),
        lambda s, _i, pi: s.get_process_instance(pi),
        lambda s, _i, pi: s.terminate_process_instance(pi),
    ],
    ids=["item", "item data", "instance", "control"],
)
def test_a_stranger_cannot_tell_which_ids_exist(look: Callable[..., Any]) -> None:
    engine = Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    instance_id = engine.start_process("ticket")
    [item] = engine.work_items(instance_id)
    zed = connect(engine, "zed")
    with pytest.raises(NotAuthorizedError, match=_STRANGER):
        look(zed, item.id, instance_id)
    with pytest.raises(NotAuthorizedError, match=_STRANGER):
        look(zed, "wi-nope", "pi-nope")
    [refused] = [e for e in engine.audit(instance_id) if e.kind == "operation.refused"]
    assert refused.detail["user"] == "zed"


@pytest.mark.parametrize(
    "act",
    [
        lambda s, wi: s.claim_work_item(wi),
        lambda s, wi: s.start_work_item(wi),
        lambda s, wi: s.release_work_item(wi),
        lambda s, wi: s.complete_work_item(wi),
        lambda s, wi: s.delegate_work_item(wi, "bob"),
        lambda s, wi: s.reassign_work_item(wi, "bob"),
        lambda s, wi: s.change_work_item_state(wi, "allocated"),
    ],
    ids=["claim", "start", "release", "complete", "delegate", "reassign", "change state"],
)
def test_a_stranger_cannot_tell_which_work_items_exist_by_acting_on_them(
    act: Callable[..., Any],
) -> None:
    """The actions on a work item refuse a stranger as the looks do: it was a
    ``NotFoundError`` for an item id that does not exist."""
    engine = Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    instance_id = engine.start_process("ticket")
    [item] = engine.work_items(instance_id)
    zed = connect(engine, "zed")
    with pytest.raises(NotAuthorizedError, match="'zed' is not a user of") as known:
        act(zed, item.id)
    with pytest.raises(NotAuthorizedError, match="'zed' is not a user of") as unknown:
        act(zed, "wi-nope")
    assert str(known.value).replace(item.id, "?") == str(unknown.value).replace("wi-nope", "?")
    assert [e.kind for e in engine.audit(instance_id)].count("operation.refused") == 1
