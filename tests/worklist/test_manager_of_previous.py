"""``MANAGER_OF_PREVIOUS`` offers the work to the supervisors of whoever completed the step
before the activity, not of whoever completed anything last in the instance.

Before: in a process with parallel branches, the approval after alice's request went to the
manager of dan, who had booked something in the other branch meanwhile; and a new
organisation's re-offer moved it to the manager of whoever had last completed anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock

ORG: dict[str, Any] = {
    "users": [
        {"id": "alice", "roles": ["clerk"], "units": ["sales"]},
        {"id": "dan", "roles": ["clerk"], "units": ["accounts"]},
        {"id": "carol", "roles": ["manager"], "units": ["board"]},
        {"id": "erin", "roles": ["manager"], "units": ["board"]},
    ],
    "units": [
        {"id": "sales", "supervisor": "carol"},
        {"id": "accounts", "supervisor": "erin"},
        {"id": "board"},
    ],
}
_MANAGER = {"MANAGER_OF_PREVIOUS": ""}


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("branches")  # request -> cool off a day -> approve, book beside it
        p.activity("start", split="Parallel")
        p.activity("request", performer="clerk")
        p.intermediate("cool_off", timer="PT24H")
        p.activity("approve", performer="manager", extended=_MANAGER)
        p.activity("book", performer="clerk")
        p.transition("start", "request")
        p.transition("request", "cool_off")
        p.transition("cool_off", "approve")
        p.transition("start", "book")
        q = pb.process("joined")  # request and book, then approve once both are done
        q.activity("start", split="Parallel")
        q.activity("request", performer="clerk")
        q.activity("book", performer="clerk")
        q.activity("approve", performer="manager", join="Parallel", extended=_MANAGER)
        q.transition("start", "request")
        q.transition("start", "book")
        q.transition("request", "approve")
        q.transition("book", "approve")
        e.deploy(pb.build())
        yield e
        check_history(e)


def _do(e: Engine, iid: str, activity_id: str, user: str) -> None:
    (item,) = [w for w in e.work_items(iid) if w.activity_id == activity_id]
    e.complete_work_item(item.id, user=user)


def _approve(e: Engine, iid: str) -> tuple[str, ...]:
    (item,) = [w for w in e.work_items(iid) if w.activity_id == "approve"]
    return item.assignees


def test_the_step_before_it_not_another_branchs_decides(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    iid = engine.start_process("branches")
    _do(engine, iid, "request", "alice")
    _do(engine, iid, "book", "dan")  # the other branch, while the request cools off
    clock.advance(timedelta(hours=24))
    engine.run_due_jobs()
    assert _approve(engine, iid) == ("carol",)  # alice's supervisor, not dan's (erin)


def test_a_new_organisation_offers_it_to_the_same_steps_supervisors(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    iid = engine.start_process("branches")
    _do(engine, iid, "request", "alice")
    clock.advance(timedelta(hours=24))
    engine.run_due_jobs()
    assert _approve(engine, iid) == ("carol",)
    _do(engine, iid, "book", "dan")
    engine.directory = Organisation.from_data(
        {**ORG, "users": [*ORG["users"], {"id": "zoe", "roles": ["clerk"], "units": ["accounts"]}]}
    )
    assert engine.reoffer_work() == []  # an unrelated hire changes nothing
    assert _approve(engine, iid) == ("carol",)


def test_after_a_join_whoever_completed_the_last_step_before_it(engine: Engine) -> None:
    one = engine.start_process("joined")
    _do(engine, one, "request", "alice")
    _do(engine, one, "book", "dan")
    assert _approve(engine, one) == ("erin",)  # dan booked last
    two = engine.start_process("joined")
    _do(engine, two, "book", "dan")
    _do(engine, two, "request", "alice")
    assert _approve(engine, two) == ("carol",)  # alice requested last
