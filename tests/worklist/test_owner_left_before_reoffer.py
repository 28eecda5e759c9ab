"""Delegated work whose owner left the organisation before ``reoffer_work`` ran (the engine's
directory changed, the re-offer not yet): a delegate's release, or their completion the owner
was to confirm (``wfengine:delegation-confirm``), never gives it back to the one who left,
who could neither take it nor give it on. It goes back on offer instead, as when four eyes
keep the owner from it. And ``complete_work_item`` names a ``data`` that is not a mapping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, WorkItemState


def _org(*clerks: str) -> Organisation:
    users: list[dict[str, Any]] = [{"id": u, "roles": ["clerk"]} for u in clerks]
    return Organisation.from_data({"users": [*users, {"id": "root"}], "admins": ["root"]})


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=_org("ann", "ben", "cy")) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("work", performer="clerk")
        confirmed = pb.process("confirmed")
        confirmed.activity(
            "work", performer="clerk", extended=[("wfengine:delegation-confirm", "true")]
        )
        e.deploy(pb.build())
        yield e
        check_history(e)


def _delegated(e: Engine, process: str) -> tuple[str, str]:
    """An instance whose item ann claimed and delegated to ben, after which ann left (the
    directory changed; nobody re-offered the work): (instance, item)."""
    iid = e.start_process(process)
    (item,) = e.work_items(iid)
    e.claim_work_item(item.id, "ann")
    e.delegate_work_item(item.id, "ann", "ben")
    e.directory = _org("ben", "cy")  # ann left
    return iid, item.id


def test_a_delegates_release_does_not_give_work_back_to_an_owner_who_left(
    engine: Engine,
) -> None:
    iid, item_id = _delegated(engine, "p")
    engine.release_work_item(item_id, "ben")
    (after,) = engine.work_items(iid)
    assert (after.id, after.state, after.holder, after.owner) == (
        item_id,
        WorkItemState.OFFERED,
        None,
        None,
    )
    engine.claim_work_item(item_id, "cy")  # those it is offered to may take it
    engine.complete_work_item(item_id, user="cy")
    assert engine.work_items(iid) == []


def test_a_delegates_completion_is_not_given_back_to_an_owner_who_left_to_confirm(
    engine: Engine,
) -> None:
    iid, item_id = _delegated(engine, "confirmed")
    engine.complete_work_item(item_id, {}, user="ben")
    (after,) = engine.work_items(iid)
    assert (after.id, after.state, after.holder, after.owner) == (
        item_id,
        WorkItemState.OFFERED,
        None,
        None,
    )
    returned = [ev for ev in engine.audit(iid) if ev.kind == "work_item.returned"]
    assert returned[-1].payload.to is None  # type: ignore[union-attr]
    engine.claim_work_item(item_id, "cy")  # someone still here confirms it
    engine.complete_work_item(item_id, user="cy")
    assert engine.work_items(iid) == []


def test_an_owner_the_organisation_still_knows_gets_the_release_back(engine: Engine) -> None:
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "ann")
    engine.delegate_work_item(item.id, "ann", "ben")
    engine.directory = _org("ann", "ben")  # cy left; ann is still here
    engine.release_work_item(item.id, "ben")
    (back,) = engine.work_items(iid)
    assert (back.state, back.holder) == (WorkItemState.ALLOCATED, "ann")


def test_completing_with_data_that_is_not_a_mapping_names_the_argument(engine: Engine) -> None:
    iid = engine.start_process("p")
    (item,) = engine.work_items(iid)
    with pytest.raises(TypeError, match="complete_work_item: data must be a mapping"):
        engine.complete_work_item(item.id, [("x", 1)], user="ann")  # type: ignore[arg-type]
    assert [w.state for w in engine.work_items(iid)] == [WorkItemState.OFFERED]
