"""XES of a Standard loop whose later rounds nobody is offered (a subflow's, an asynchronous
application's, a block's): each round starts when it is ready, at the iteration that ended
the round before, as the process metrics measure it. Before, a later round showed its
``start`` at the moment it ended (a subflow's second two-hour round read start@04:00,
complete@04:00, beside the metrics' two hours); a round running now showed no start."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import (
    Engine,
    Organisation,
    PackageBuilder,
    VirtualClock,
    standard_loop,
    write_xes,
)
from wfengine.audit.metrics import process_metrics

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}]}
H = timedelta(hours=1)
T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    directory = Organisation.from_data(ORG)
    with Engine(clock=VirtualClock(T0), db_url=url, directory=directory) as e:
        yield e
        check_history(e)


def _steps(engine: Engine, activity_id: str) -> list[tuple[str, str]]:
    """(transition, hour) of the XES events of ``activity_id``."""
    out = io.BytesIO()
    write_xes(engine, out)
    found = []
    for event in etree.fromstring(out.getvalue()).iter("event"):
        values = {a.get("key"): a.get("value") for a in event}
        if values["concept:name"] == activity_id:
            found.append((values["lifecycle:transition"], values["time:timestamp"][11:16]))
    return found


def _processing_hours(engine: Engine, process_id: str, activity_id: str) -> float | None:
    for found in process_metrics(engine, process_id).activities:
        if found.activity_id == activity_id:
            mean = found.processing.mean
            return None if mean is None else mean / 3600
    return None


def _do_the_work(engine: Engine, process_id: str | None = None) -> None:
    """An hour, then alice does the one open work item (of ``process_id``'s instances)."""
    engine.clock.advance(H)  # type: ignore[attr-defined]
    (item,) = [
        w
        for s in engine.instance_summaries(process_id=process_id)
        if not s.state.is_closed
        for w in engine.work_items(s.id)
    ]
    engine.complete_work_item(item.id, user="alice")


TWO_ROUNDS = [("start", "09:00"), ("complete", "10:00"), ("start", "10:00"), ("complete", "11:00")]


def test_a_subflow_loops_later_round_starts_when_the_one_before_ended(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("outer")
    p.data_field("n", "INTEGER", initial="0")
    p.subflow("call", process="child", args=["n"], loop=standard_loop("n < 2"))
    child = pb.process("child")
    child.param("k", "INOUT", "INTEGER")
    child.activity("t", performer="clerk")
    child.activity("add", script="k = k + 1").transition("t", "add")
    engine.deploy(pb.build())
    iid = engine.start_process("outer")
    _do_the_work(engine, "child")
    _do_the_work(engine, "child")
    assert engine.instance(iid).state.is_closed
    assert _steps(engine, "call") == TWO_ROUNDS
    assert _processing_hours(engine, "outer", "call") == 1.0


def test_a_block_loops_later_round_starts_when_the_one_before_ended(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("outer")
    p.data_field("n", "INTEGER", initial="0")
    inner = p.activity_set("inner")
    inner.activity("t", performer="clerk")
    inner.activity("add", script="n = n + 1").transition("t", "add")
    p.block("review", activity_set="inner", start="t", loop=standard_loop("n < 2"))
    engine.deploy(pb.build())
    iid = engine.start_process("outer")
    _do_the_work(engine)
    _do_the_work(engine)
    assert engine.instance(iid).state.is_closed
    assert _steps(engine, "review") == TWO_ROUNDS
    assert _processing_hours(engine, "outer", "review") == 1.0


def test_an_asynchronous_applications_later_round_starts_when_ready(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("outer")
    p.data_field("n", "INTEGER", initial="0")
    p.application("bump", params=[("v", "INOUT", "INTEGER")])
    p.activity("call", tool="bump", args=["n"], loop=standard_loop("n < 2"))
    engine.applications.register("bump", lambda v: {"v": v + 1}, asynchronous=True)
    engine.deploy(pb.build())
    iid = engine.start_process("outer")
    for _ in range(2):
        engine.clock.advance(H)  # type: ignore[attr-defined]
        engine.run_due_jobs()
    assert engine.instance(iid).state.is_closed
    assert _steps(engine, "call") == TWO_ROUNDS
    assert _processing_hours(engine, "outer", "call") == 1.0


def test_a_subflow_round_running_now_shows_its_start(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("outer")
    p.data_field("n", "INTEGER", initial="0")
    p.subflow("call", process="child", args=["n"], loop=standard_loop("n < 5"))
    child = pb.process("child")
    child.param("k", "INOUT", "INTEGER")
    child.activity("t", performer="clerk")
    child.activity("add", script="k = k + 1").transition("t", "add")
    engine.deploy(pb.build())
    engine.start_process("outer")
    _do_the_work(engine, "child")
    assert _steps(engine, "call") == TWO_ROUNDS[:3]
