"""The detailed status of a case that waits on a subflow names the subflow instance and the
incident its activity stopped on (``DetailedStatus.as_dict``, ``wfengine status --json``): a
case stuck on a failed subflow showed no incident, no open work and no link to the child."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, PackageBuilder, VirtualClock, detailed_status


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url) as e:
        yield e
        check_history(e)


def _boom() -> None:
    raise RuntimeError("boom")


def test_the_detailed_status_links_the_subflow_it_waits_on(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.subflow("call", process="child").activity("after")
    m.transition("call", "after")
    c = pb.process("child")
    c.application("app")
    c.activity("t", tool="app")
    engine.applications.register("app", _boom)
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    [child] = [i for i in engine.instances() if i.parent_instance_id == iid]
    [call] = detailed_status(engine, iid).as_dict()["activities"]
    assert call["activity_id"] == "call" and call["subflow_instance_id"] == child.id
    assert call["incident_id"] is None  # the incident is the child's, one link further
    [incident] = engine.incidents()
    [t] = detailed_status(engine, child.id).as_dict()["activities"]
    assert t["incident_id"] == incident.id and t["subflow_instance_id"] is None
    # the keys it had are all still there
    assert {"id", "activity_id", "state", "performer", "started_at", "completed_at"} <= set(t)
