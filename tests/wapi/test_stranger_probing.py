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
