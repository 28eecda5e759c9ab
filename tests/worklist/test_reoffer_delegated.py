"""Delegated work when its owner leaves the organisation (``reoffer_work``, which ``wfengine
org load`` runs): it never goes back to the one who left. A delegate the new organisation
still knows keeps it as their own (their release offers it to the performers' members now,
their completion completes it); a delegate who left too loses it to a fresh offer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import (
    Engine,
    Organisation,
    PackageBuilder,
    ProcessState,
    VirtualClock,
    WorkItemState,
)
from wfengine.runtime.reoffer import reoffer_work


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


def _delegated(e: Engine, process: str = "p") -> tuple[str, str]:
    """An instance whose item ann claimed and delegated to ben: (instance, item)."""
    iid = e.start_process(process)
    (item,) = e.work_items(iid)
    e.claim_work_item(item.id, "ann")
    e.delegate_work_item(item.id, "ann", "ben")
    return iid, item.id


def test_a_delegate_keeps_work_whose_owner_left_and_their_release_never_returns_it(
    engine: Engine,
) -> None:
    iid, item_id = _delegated(engine)
    engine.start_work_item(item_id, "ben")
    engine.directory = _org("ben", "cy")  # ann left
    assert reoffer_work(engine) == []  # nothing withdrawn: ben goes on with it
    (kept,) = engine.work_items(iid)
    assert (kept.id, kept.state, kept.holder, kept.owner) == (
        item_id,
        WorkItemState.STARTED,
        "ben",
        None,
    )
    assert kept.assignees == ("ben", "cy")  # whom a release offers it to: clerks now
    assert engine.audit(iid)[-1].kind == "work_item.allocated"  # the engine gave it to ben
    assert reoffer_work(engine) == []  # run again: nothing left to mend
    engine.release_work_item(item_id, "ben")
    (after,) = engine.work_items(iid)
    assert (after.state, after.holder, after.owner) == (WorkItemState.OFFERED, None, None)
    assert "ann" not in after.assignees
    assert engine.work_items_of("ann") == []


def test_a_delegates_completion_whose_owner_left_completes_the_work(engine: Engine) -> None:
    # the owner was to confirm it; they left, so the delegate's completion is the work's
    iid, item_id = _delegated(engine, "confirmed")
    engine.directory = _org("ben", "cy")
    reoffer_work(engine)
    engine.complete_work_item(item_id, user="ben")
    assert engine.work_items(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_work_whose_owner_and_delegate_both_left_is_offered_afresh(engine: Engine) -> None:
    iid, item_id = _delegated(engine)
    engine.directory = _org("cy")
    (done,) = reoffer_work(engine)
    assert (done.work_item_id, done.holder, done.assignees) == (item_id, "ben", ("cy",))
    (after,) = engine.work_items(iid)
    assert (after.id, after.state, after.holder, after.owner) == (
        done.replaced_by,
        WorkItemState.OFFERED,
        None,
        None,
    )


def test_delegated_work_whose_owner_stays_is_left_as_it_is(engine: Engine) -> None:
    iid, item_id = _delegated(engine)
    engine.directory = _org("ann", "ben")  # cy left: only no longer offered it
    assert reoffer_work(engine) == []
    (kept,) = engine.work_items(iid)
    assert (kept.holder, kept.owner, kept.assignees) == ("ben", "ann", ("ann", "ben"))
    engine.release_work_item(item_id, "ben")
    (back,) = engine.work_items(iid)
    assert (back.state, back.holder) == (WorkItemState.ALLOCATED, "ann")  # back to its owner
