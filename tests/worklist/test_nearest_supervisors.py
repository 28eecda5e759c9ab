"""Supervisors nearest first: ``MANAGER_OF_PREVIOUS`` work and late work go to the nearest
supervisors, a level further up only when none of those may have it (four eyes).

Before: ``Organisation.supervisors_of`` listed them in the order of the file's users (the chief
executive first when listed first), and both went to every supervisor up to the top.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock

#: company (ceo) > division (head) > team (lead) > alice; the ceo is listed first
ORG: dict[str, Any] = {
    "users": [
        {"id": "ceo", "units": ["company"]},
        {"id": "head", "roles": ["clerk"], "units": ["division"]},
        {"id": "lead", "roles": ["clerk"], "units": ["team"]},
        {"id": "alice", "roles": ["clerk"], "units": ["team", "desk"]},
        {"id": "dora", "units": ["desk"]},
    ],
    "units": [
        {"id": "company", "supervisor": "ceo"},
        {"id": "division", "supervisor": "head", "parent": "company"},
        {"id": "team", "supervisor": "lead", "parent": "division"},
        {"id": "desk", "supervisor": "dora"},
    ],
}


def test_supervisors_are_listed_nearest_first() -> None:
    org = Organisation.from_data(ORG)
    assert org.supervisors_of("lead") == ("head", "ceo")
    # each unit's nearest before any next one: team's lead and desk's dora, then above team
    assert org.supervisors_of("alice") == ("lead", "dora", "head", "ceo")
    assert org.supervises("ceo", "alice")  # who may act for her is still the whole chain


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        yield e
        check_history(e)


def _deploy(e: Engine, **approve: str) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("request", performer="clerk")
    p.activity("approve", performer="clerk", extended={"MANAGER_OF_PREVIOUS": "", **approve})
    p.transition("request", "approve")
    late = pb.process("late")
    late.activity("file", performer="alice", extended={"wfengine:escalate-after": "PT1H"})
    e.deploy(pb.build())


def test_manager_of_previous_is_the_nearest_supervisors(engine: Engine) -> None:
    _deploy(engine)
    iid = engine.start_process("p")
    (request,) = engine.work_items(iid)
    engine.complete_work_item(request.id, user="lead")
    (approve,) = engine.work_items(iid)
    assert approve.assignees == ("head",)  # not the ceo as well


def test_manager_of_previous_goes_a_level_up_when_four_eyes_forbids_the_nearest(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    q = pb.process("q")
    q.activity("request", performer="clerk")
    q.activity("check", performer="clerk")
    q.activity(
        "approve",
        performer="clerk",
        extended=[("MANAGER_OF_PREVIOUS", ""), ("DoNotAssignToPerformerOfActivity", "request")],
    )
    q.transition("request", "check")
    q.transition("check", "approve")
    engine.deploy(pb.build())
    iid = engine.start_process("q")
    (request,) = engine.work_items(iid)
    engine.complete_work_item(request.id, user="head")  # head requested: may not approve
    (check,) = engine.work_items(iid)
    engine.complete_work_item(check.id, user="lead")  # lead's nearest supervisor is head
    (approve,) = engine.work_items(iid)
    assert approve.assignees == ("ceo",)


def test_late_work_escalates_to_the_nearest_supervisors(engine: Engine) -> None:
    _deploy(engine)
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    iid = engine.start_process("late")
    (item,) = engine.work_items(iid)
    clock.advance(timedelta(hours=1))
    engine.run_due_jobs()
    assert engine.work_item(item.id).assignees == ("alice", "lead", "dora")
    (escalated,) = [e for e in engine.audit(iid) if e.kind == "work_item.escalated"]
    assert escalated.detail["to"] == ["lead", "dora"]
