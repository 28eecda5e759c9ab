"""An escalation of a delegated item under ``wfengine:delegation-confirm`` offers it again to its
owner, not to the delegate: a delegate's work there is only ever done under the owner's
confirmation.

Before: the escalation dropped the owner and offered the item to the delegate too (ann
delegated to cat, who is no clerk): cat claimed it and completed it outright, and ann never
confirmed what cat did.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    WorkItemState,
)
from wfengine.runtime.work_item_events import WorkItemEscalated

ORG: dict[str, Any] = {
    "users": [
        {"id": "ann", "roles": ["clerk"], "units": ["desk"]},
        {"id": "bob", "roles": ["clerk"], "units": ["desk"]},
        {"id": "cat", "units": ["desk"]},
        {"id": "boss", "units": ["mgmt"]},
    ],
    "units": [{"id": "mgmt", "supervisor": "boss"}, {"id": "desk", "supervisor": "boss"}],
}


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("desk")
        pb.participant("clerk", type="ROLE")
        late = {"wfengine:escalate-after": "PT1H"}
        confirmed = {**late, "wfengine:delegation-confirm": "true"}
        pb.process("confirmed").activity("answer", performer="clerk", extended=confirmed)
        pb.process("plain").activity("answer", performer="clerk", extended=late)
        e.deploy(pb.build())
        yield e
        check_history(e)


def _delegated_then_late(e: Engine, process: str) -> tuple[str, str]:
    """ann claims the work of a new ``process`` instance and delegates it to cat (no clerk);
    an hour later it escalates. Returns (instance, item)."""
    iid = e.start_process(process)
    (item,) = e.work_items(iid)
    e.claim_work_item(item.id, "ann")
    e.delegate_work_item(item.id, "ann", "cat")
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    e.run_due_jobs()
    return iid, item.id


def _escalations(e: Engine, iid: str) -> list[object]:
    return [x.payload for x in e.audit(iid) if isinstance(x.payload, WorkItemEscalated)]


def test_an_escalated_delegation_goes_back_to_its_owner_not_the_delegate(engine: Engine) -> None:
    iid, item_id = _delegated_then_late(engine, "confirmed")
    item = engine.work_item(item_id)
    assert (item.state, item.holder, item.owner) == (WorkItemState.OFFERED, None, None)
    assert item.assignees == ("ann", "bob", "boss")  # the owner may claim it again; cat not
    assert _escalations(engine, iid) == [WorkItemEscalated(item_id, ("boss",), "cat")]
    with pytest.raises(NotAuthorizedError):
        engine.claim_work_item(item_id, "cat")
    with pytest.raises(NotAuthorizedError):
        engine.complete_work_item(item_id, user="cat")
    assert engine.instance(iid).state.value == "open.running"
    engine.complete_work_item(item_id, user="ann")  # the owner does it (or gives it on again)
    assert engine.instance(iid).state.value == "closed.completed"


def test_an_owner_who_left_leaves_the_escalated_item_to_the_delegate(engine: Engine) -> None:
    """Nobody could confirm for an owner who left (as a re-offer makes the delegate its holder
    outright then): the delegate may claim it again, as without the rule."""
    iid = engine.start_process("confirmed")
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "ann")
    engine.delegate_work_item(item.id, "ann", "cat")
    engine.directory = Organisation.from_data({**ORG, "users": ORG["users"][1:]})
    assert isinstance(engine.clock, VirtualClock)
    engine.clock.advance(timedelta(hours=1))
    engine.run_due_jobs()
    assert engine.work_item(item.id).assignees == ("ann", "bob", "boss", "cat")
    engine.claim_work_item(item.id, "cat")
    engine.complete_work_item(item.id, user="cat")
    assert engine.instance(iid).state.value == "closed.completed"


def test_without_the_rule_the_delegate_may_take_the_escalated_item_back(engine: Engine) -> None:
    iid, item_id = _delegated_then_late(engine, "plain")
    assert engine.work_item(item_id).assignees == ("ann", "bob", "boss", "cat")
    engine.claim_work_item(item_id, "cat")
    engine.complete_work_item(item_id, user="cat")
    assert engine.instance(iid).state.value == "closed.completed"
