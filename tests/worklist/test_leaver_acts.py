"""Someone who has left the organisation may do nothing with the work they held: before the
work was re-offered, their start was refused but their delegate, send back and release went
through (docs/wapi.md: "A user the organisation does not know is refused every operation").
An administrator still releases what they held."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    WorkItemState,
    connect,
)

_USERS = [{"id": u, "roles": ["clerk"]} for u in ("alice", "bob", "dan")] + [{"id": "root"}]


def _org(*users: str) -> Organisation:
    kept = [u for u in _USERS if u["id"] in (*users, "root")]
    return Organisation.from_data({"users": kept, "admins": ["root"]})


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=_org("alice", "bob", "dan")) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.activity("a", performer="clerk")
        p.activity("b", performer="clerk")
        p.transition("a", "b")
        e.deploy(pb.build())
        yield e


def _held_by_a_leaver(engine: Engine) -> tuple[str, str]:
    """An item of ``b`` bob holds, and bob gone from the organisation (no re-offer yet)."""
    instance_id = engine.start_process("p")
    (a,) = engine.work_items(instance_id)
    engine.complete_work_item(a.id, user="alice")
    (b,) = engine.work_items(instance_id)
    engine.claim_work_item(b.id, "bob")
    engine.directory = _org("alice", "dan")
    return instance_id, b.id


_OPERATIONS: dict[str, Callable[[Engine, str], None]] = {
    "delegate": lambda e, wid: connect(e, "bob").delegate_work_item(wid, "dan"),
    "send back": lambda e, wid: e.send_back_work_item(wid, "bob", "a", "redo"),
    "release": lambda e, wid: connect(e, "bob").release_work_item(wid),
    "start": lambda e, wid: connect(e, "bob").start_work_item(wid),
    "complete": lambda e, wid: connect(e, "bob").complete_work_item(wid),
}


@pytest.mark.parametrize("operation", sorted(_OPERATIONS))
def test_a_leaver_is_refused_every_operation_on_work_they_held(
    engine: Engine, operation: str
) -> None:
    instance_id, work_item_id = _held_by_a_leaver(engine)
    with pytest.raises(NotAuthorizedError, match="'bob' is not a user of the organisation"):
        _OPERATIONS[operation](engine, work_item_id)
    (item,) = engine.work_items(instance_id)
    assert (item.id, item.state, item.holder) == (work_item_id, WorkItemState.ALLOCATED, "bob")
    (refused,) = engine.audit_events(instance_id=instance_id, kind="operation.refused")
    assert refused.user == "bob"


def test_an_administrator_releases_what_a_leaver_held(engine: Engine) -> None:
    instance_id, work_item_id = _held_by_a_leaver(engine)
    engine.release_work_item(work_item_id, "root")
    (item,) = engine.work_items(instance_id)
    assert item.state is WorkItemState.OFFERED and item.holder is None
