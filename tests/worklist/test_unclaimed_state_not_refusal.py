"""Starting or delegating an item offered to you that you have not claimed is the item's state
standing in the way, not a right you lack: an ``IllegalStateError`` (claim it first), with
nothing recorded, as releasing it is (README: only what a user may not do is a
``NotAuthorizedError`` recorded as ``operation.refused``). It was recorded as a security
refusal ("nobody has claimed it"). Someone it is not offered to is still refused, and
recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wfengine import (
    Engine,
    IllegalStateError,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    WorkItemState,
)

_ORG = {
    "users": [
        {"id": "alice", "roles": ["clerk"]},
        {"id": "bob", "roles": ["clerk"]},
        {"id": "dan"},
        {"id": "root"},
    ],
    "admins": ["root"],
}

_ACTS: dict[str, Callable[[Engine, str, str], None]] = {
    "start": lambda e, wid, user: e.start_work_item(wid, user),
    "delegate": lambda e, wid, user: e.delegate_work_item(wid, user, "dan"),
    "release": lambda e, wid, user: e.release_work_item(wid, user),
}


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(_ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a", performer="clerk")
        e.deploy(pb.build())
        yield e


@pytest.mark.parametrize("operation", sorted(_ACTS))
def test_acting_on_an_unclaimed_item_offered_to_you_is_a_state_error(
    engine: Engine, operation: str
) -> None:
    instance_id = engine.start_process("p")
    (item,) = engine.work_items(instance_id)
    with pytest.raises(IllegalStateError, match=f"cannot {operation} work item 'wi-1'"):
        _ACTS[operation](engine, item.id, "alice")
    assert engine.audit_events(instance_id=instance_id, kind="operation.refused") == []
    assert engine.work_item(item.id).state is WorkItemState.OFFERED
    engine.claim_work_item(item.id, "alice")  # claimed, she may
    _ACTS[operation](engine, item.id, "alice")


@pytest.mark.parametrize("operation", ["start", "delegate"])
def test_someone_it_is_not_offered_to_is_refused_and_recorded(
    engine: Engine, operation: str
) -> None:
    instance_id = engine.start_process("p")
    (item,) = engine.work_items(instance_id)
    with pytest.raises(NotAuthorizedError, match="it is not offered to them"):
        _ACTS[operation](engine, item.id, "dan")
    (refused,) = engine.audit_events(instance_id=instance_id, kind="operation.refused")
    assert refused.user == "dan"


def test_an_administrator_still_starts_an_unclaimed_item(engine: Engine) -> None:
    instance_id = engine.start_process("p")
    (item,) = engine.work_items(instance_id)
    engine.start_work_item(item.id, "root")
    after = engine.work_item(item.id)
    assert (after.state, after.holder) == (WorkItemState.STARTED, "root")
