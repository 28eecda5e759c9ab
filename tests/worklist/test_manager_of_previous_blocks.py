"""``MANAGER_OF_PREVIOUS`` right after a block activity: the step before is the work done in
the block's activity set, so the supervisors of whoever did that work last are offered it.

Before: the search for the step before looked past the block (no person completes a block
activity itself) to the steps before it, so the approval after Sue's review inside the block
went to the manager of Ann, who had made the request before the block.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock

ORG: dict[str, Any] = {
    "users": [
        {"id": "ann", "roles": ["clerk"], "units": ["front"]},
        {"id": "sue", "roles": ["clerk"], "units": ["back"]},
        {"id": "fmgr", "roles": ["manager"], "units": ["board"]},
        {"id": "bmgr", "roles": ["manager"], "units": ["board"]},
    ],
    "units": [
        {"id": "front", "supervisor": "fmgr"},
        {"id": "back", "supervisor": "bmgr"},
        {"id": "board"},
    ],
}
_MANAGER = {"MANAGER_OF_PREVIOUS": ""}
#: whose supervisor each clerk has
_BOSS = {"ann": ("fmgr",), "sue": ("bmgr",)}


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("block")  # request -> blk {review} -> approve
        p.activity_set("inner").activity("review", performer="clerk")
        p.activity("request", performer="clerk").block("blk", activity_set="inner")
        p.activity("approve", performer="manager", extended=_MANAGER)
        p.sequence("request", "blk", "approve")
        q = pb.process("nested")  # request -> outer {mid {check}} -> approve
        q.activity_set("deep").activity("check", performer="clerk")
        q.activity_set("shell").block("mid", activity_set="deep")
        q.activity("request", performer="clerk").block("outer", activity_set="shell")
        q.activity("approve", performer="manager", extended=_MANAGER)
        q.sequence("request", "outer", "approve")
        r = pb.process("automatic")  # request -> blk {a script nobody works on} -> approve
        r.data_field("n", "INTEGER", initial="0")
        r.activity_set("auto").activity("tally", script="n = n + 1")
        r.activity("request", performer="clerk").block("blk", activity_set="auto")
        r.activity("approve", performer="manager", extended=_MANAGER)
        r.sequence("request", "blk", "approve")
        s = pb.process("parallel")  # request -> blk {left and right side by side} -> approve
        both = s.activity_set("both")
        both.activity("fork", split="Parallel").activity("left", performer="clerk")
        both.activity("right", performer="clerk")
        both.transition("fork", "left").transition("fork", "right")
        s.activity("request", performer="clerk").block("blk", activity_set="both")
        s.activity("approve", performer="manager", extended=_MANAGER)
        s.sequence("request", "blk", "approve")
        c = pb.process("child")
        c.activity("check", performer="clerk")
        t = pb.process("called")  # request -> call child {check} -> approve
        t.activity("request", performer="clerk").subflow("call", process="child")
        t.activity("approve", performer="manager", extended=_MANAGER)
        t.sequence("request", "call", "approve")
        e.deploy(pb.build())
        yield e
        check_history(e)


def _do(e: Engine, iid: str, activity_id: str, user: str) -> None:
    (item,) = [w for w in e.work_items(iid) if w.activity_id == activity_id]
    e.complete_work_item(item.id, user=user)


def _approve(e: Engine, iid: str) -> tuple[str, ...]:
    (item,) = [w for w in e.work_items(iid) if w.activity_id == "approve"]
    return item.assignees


def test_after_a_block_whoever_did_its_work(engine: Engine) -> None:
    iid = engine.start_process("block")
    _do(engine, iid, "request", "ann")
    _do(engine, iid, "review", "sue")
    assert _approve(engine, iid) == ("bmgr",)


def test_after_nested_blocks_whoever_did_the_innermost_work(engine: Engine) -> None:
    iid = engine.start_process("nested")
    _do(engine, iid, "request", "ann")
    _do(engine, iid, "check", "sue")
    assert _approve(engine, iid) == ("bmgr",)


def test_a_block_nobody_worked_in_is_looked_past(engine: Engine) -> None:
    iid = engine.start_process("automatic")
    _do(engine, iid, "request", "ann")
    assert _approve(engine, iid) == ("fmgr",)


@pytest.mark.parametrize("last", ["left", "right"])
def test_in_a_block_whoever_finished_last_in_it(engine: Engine, last: str) -> None:
    first = "right" if last == "left" else "left"
    iid = engine.start_process("parallel")
    _do(engine, iid, "request", "sue")
    _do(engine, iid, first, "sue")
    _do(engine, iid, last, "ann")
    assert _approve(engine, iid) == _BOSS["ann"]


def test_a_subflow_is_looked_past_to_the_step_before_it(engine: Engine) -> None:
    """The called process's steps are another instance's: the step before is the request
    (as before blocks were looked into)."""
    iid = engine.start_process("called")
    _do(engine, iid, "request", "ann")
    (child,) = engine.instances(process_id="child")
    _do(engine, child.id, "check", "sue")
    assert _approve(engine, iid) == ("fmgr",)
