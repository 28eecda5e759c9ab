"""A user who left the organisation reads no work item: not one they are still among the
assignees of (an item someone still known holds keeps its old assignees until a re-offer),
nor a closed one once offered to them, and they may not comment on it. They could, while the
same session was refused the instance (docs/wapi.md: a user the organisation does not know
is refused every operation)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    connect,
    notes_for,
)

_USERS = [{"id": u, "roles": ["clerk"]} for u in ("alice", "bob")]


def _org(*users: str) -> Organisation:
    return Organisation.from_data({"users": [u for u in _USERS if u["id"] in users]})


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=_org("alice", "bob")) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.data_field("salary", "INTEGER", initial="0")
        p.activity("review", performer="clerk", writes=["salary"])
        p.activity("approve", performer="clerk")
        p.sequence("review", "approve")
        e.deploy(pb.build())
        yield e


def test_a_leaver_still_among_the_assignees_reads_nothing(engine: Engine) -> None:
    instance_id = engine.start_process("p", {"salary": 91000})
    (item,) = engine.work_items(instance_id)
    engine.claim_work_item(item.id, "alice")
    engine.directory = _org("alice")  # bob leaves (no re-offer has run yet)
    assert "bob" in engine.work_item(item.id).assignees
    session = connect(engine, "bob")
    with pytest.raises(NotAuthorizedError, match="the organisation does not know them"):
        session.get_work_item(item.id)
    with pytest.raises(NotAuthorizedError, match="the organisation does not know them"):
        session.get_work_item_attributes(item.id)
    assert connect(engine, "alice").get_work_item_attributes(item.id).values["salary"] == 91000


def test_a_leaver_reads_and_comments_on_no_closed_item(engine: Engine) -> None:
    instance_id = engine.start_process("p")
    (item,) = engine.work_items(instance_id)
    engine.complete_work_item(item.id, {"salary": 120000}, user="alice")
    engine.directory = _org("alice")  # bob, to whom the review was offered, leaves
    engine.reoffer_work()
    with pytest.raises(NotAuthorizedError):
        connect(engine, "bob").get_work_item_attributes(item.id)
    with pytest.raises(NotAuthorizedError):
        notes_for(engine).add_comment("bob", instance_id, "still here", work_item_id=item.id)
    assert notes_for(engine).comments("alice", instance_id, work_item_id=item.id) == []
