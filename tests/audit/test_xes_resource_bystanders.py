"""XES ``org:resource`` of a start or completion the trail records with no user is whoever
held the work then, never someone who merely appears on the activity's events: a user whose
completion was refused (``operation.refused``), an operator who retried the activity's
incident. Those were credited with work they did not do, and ``user=`` selected it for them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.audit.xes_log import xes_steps
from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    process_metrics,
)

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}, {"id": "mallory"}, {"id": "ops"}]}


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url, directory=Organisation.from_data(ORG)) as e:
        yield e


def _one_step(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("p").activity("a", performer="clerk")
    engine.deploy(pb.build())
    return engine.start_process("p")


def test_a_refused_completion_credits_nobody_with_the_holders_work(engine: Engine) -> None:
    iid = _one_step(engine)
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "alice")
    engine.start_work_item(item.id, "alice")
    with pytest.raises(NotAuthorizedError):
        engine.complete_work_item(item.id, user="mallory")
    engine.complete_work_item(item.id)  # the host's code completes alice's work
    assert xes_steps(engine) == [
        ("a", "schedule", None),
        ("a", "assign", "alice"),
        ("a", "start", "alice"),
        ("a", "complete", "alice"),
    ]
    assert xes_steps(engine, user="mallory") == []
    assert [(u.user, u.completed) for u in process_metrics(engine, "p").users] == [("alice", 1)]


def test_a_refused_user_is_no_resource_of_work_nobody_held(engine: Engine) -> None:
    iid = _one_step(engine)
    (item,) = engine.work_items(iid)
    with pytest.raises(NotAuthorizedError):
        engine.complete_work_item(item.id, user="mallory")  # not offered to mallory
    engine.complete_work_item(item.id)
    assert xes_steps(engine) == [
        ("a", "schedule", None),
        ("a", "start", None),
        ("a", "complete", None),
    ]


def test_an_operator_who_retried_an_incident_is_no_resource_of_the_activity(
    engine: Engine,
) -> None:
    calls: list[int] = []

    def flaky() -> dict[str, Any]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("down")
        return {}

    pb = PackageBuilder("pkg")
    pb.application("flaky")
    pb.process("p").activity("auto", tool="flaky")
    engine.applications.register("flaky", flaky)
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    engine.run_due_jobs()
    (incident,) = list(engine.instance(iid).incidents)
    engine.retry_incident(incident, user="ops")  # the operator only answered the incident
    engine.run_due_jobs()
    assert xes_steps(engine) == [("auto", "start", None), ("auto", "complete", None)]
    assert xes_steps(engine, user="ops") == []
