"""A sequential multi-instance activity counts again after each instance (WCP15); a count that
fails then (over RuntimeLimits.max_mi_instances, 2.5, -1, len(None)) used to be passed over
silently: the count known so far ran and the flow went on, no incident. Now it is an incident
naming the expression and its value, as at the start: the next instance waits, the flow does
not move on, and a retry (after the data is put right) counts again and carries on, also after
a restart. Instances ``add_mi_instance`` added count against
RuntimeLimits.max_mi_instances at a re-count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import run, store_url
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.limits import RuntimeLimits
from wfengine.runtime.states import ProcessState

LIMITS = RuntimeLimits(max_mi_instances=4)


class Engines:
    """An engine on a store of one kind, opened again (a restart) where the store keeps."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self.clock = VirtualClock()
        self.engine = Engine(clock=self.clock, db_url=url, limits=LIMITS)

    def restart(self) -> Engine:
        if self.url is not None:
            self.engine.close()
            self.engine = Engine(clock=self.clock, db_url=self.url, limits=LIMITS)
        return self.engine


@pytest.fixture(params=["memory", "sqlite"])
def engines(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engines]:
    made = Engines(store_url(request, request.param, tmp_path))
    yield made
    made.engine.close()


def _reviews(engine: Engine, count: str, ordering: str = "Sequential", **data: Any) -> str:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("items", "STRING", is_array=True)
    p.data_field("n", "FLOAT")
    p.activity("m", performer="clerk", loop=multi_instance(count, ordering=ordering))
    p.activity("after").transition("m", "after")
    return run(engine, pb, data=data)


def _finish(engine: Engine, iid: str) -> int:
    done = 0
    while items := engine.work_items(iid):
        engine.complete_work_item(items[0].id)
        done += 1
    return done


@pytest.mark.parametrize(
    ("count", "start", "broken", "fixed", "shown"),
    [
        ("n", {"n": 3.0}, {"n": 2.5}, {"n": 2.0}, "gave 2.5, expected a count"),
        ("n", {"n": 3.0}, {"n": -1.0}, {"n": 4.0}, "gave -1.0, expected a count"),
        ("n", {"n": 1.0}, {"n": 0.5}, {"n": 3.0}, "gave 0.5, expected a count"),
        (
            "len(items)",
            {"items": ["a", "b"]},
            {"items": list("abcde")},
            {"items": list("abc")},
            "gave 5, more instances than RuntimeLimits.max_mi_instances (4)",
        ),
        ("len(items)", {"items": ["a", "b", "c"]}, {"items": None}, {"items": ["a"]}, "len"),
    ],
)
def test_a_failed_recount_holds_the_activity_until_retried(
    engines: Engines,
    count: str,
    start: dict[str, Any],
    broken: dict[str, Any],
    fixed: dict[str, Any],
    shown: str,
) -> None:
    engine = engines.engine
    iid = _reviews(engine, count, **start)
    engine.complete_work_item(engine.work_items(iid)[0].id, broken)
    engine = engines.restart()
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "m"
    assert count in incident.message and shown in incident.message
    assert engine.work_items(iid) == []  # the next instance waits
    assert "after" not in engine.trace(iid)  # and the flow does not move on
    assert engine.instance(iid).state is ProcessState.RUNNING
    engine.set_data(iid, fixed)
    engine = engines.restart()
    engine.retry_incident(incident.id)
    wanted = len(fixed["items"]) if "items" in fixed else int(fixed["n"])
    assert 1 + _finish(engine, iid) == max(1, wanted)
    assert engine.trace(iid) == ["m"] * max(1, wanted) + ["after"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.incidents(iid) == []


def test_a_recount_that_fails_again_on_retry_is_a_new_incident(engines: Engines) -> None:
    engine = engines.engine
    iid = _reviews(engine, "n", n=2.0)
    engine.complete_work_item(engine.work_items(iid)[0].id, {"n": 2.5})
    [first] = engine.incidents(iid)
    engine.retry_incident(first.id)
    [second] = engine.incidents(iid)
    assert second.id != first.id and "2.5" in second.message
    assert engine.work_items(iid) == []
    engine.abort_incident(second.id)  # the operator's way out, as for any incident
    assert engine.instance(iid).state is ProcessState.ABORTED


def test_added_instances_count_against_the_limit_at_a_recount(engines: Engines) -> None:
    engine = engines.engine
    iid = _reviews(engine, "n", n=2.0)
    container = _container(engine, iid)
    assert engine.add_mi_instance(container) is None
    # 3 from the count and the added one pass the limit of 4
    engine.complete_work_item(engine.work_items(iid)[0].id, {"n": 4.0})
    [incident] = engine.incidents(iid)
    assert "and 1 added by add_mi_instance" in incident.message
    engine.set_data(iid, {"n": 3.0})
    engine.retry_incident(incident.id)
    assert 1 + _finish(engine, iid) == 4
    assert engine.instance(iid).state is ProcessState.COMPLETED


def _container(engine: Engine, iid: str) -> str:
    return next(
        a.id for a in engine.activity_instances(iid) if a.activity_id == "m" and a.mi_index is None
    )
