"""A WAPI work list fetched while the work changes: each item as it stands when fetched,
and only while it is still on the user's list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, WorkItemState
from wfengine.runtime.directory import StaticDirectory
from wfengine.wapi import connect


@pytest.fixture(params=["memory", "sqlite"])
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    both = StaticDirectory({"desk": ["ann", "bob"]})  # both users work the same desk
    with Engine(clock=VirtualClock(), db_url=url, directory=both) as engine:
        pb = PackageBuilder("pkg")
        pb.participant("desk")
        pb.process("main").activity("w", performer="desk")
        engine.deploy(pb.build())
        yield engine


def test_fetch_passes_over_items_that_left_the_list_after_it_was_read(desk: Engine) -> None:
    instances = [desk.start_process("main") for _ in range(6)]
    items = [desk.work_items(i)[0].id for i in instances]
    ann, bob = connect(desk, "ann"), connect(desk, "bob")
    work = ann.open_work_list()
    first = work.fetch()
    assert first is not None and first.id == items[0]  # the first batch is read now
    bob.claim_work_item(items[1])
    bob.claim_work_item(items[2])
    desk.complete_work_item(items[3])
    desk.terminate(instances[4])
    ann.claim_work_item(items[5])
    rest = list(work)
    assert [i.id for i in rest] == [items[5]]
    # as it stands now, not as the batch read it
    assert (rest[0].state, rest[0].holder) == (WorkItemState.ALLOCATED, "ann")


def test_fetch_by_state_leaves_out_an_item_whose_state_changed(desk: Engine) -> None:
    items = [desk.work_items(desk.start_process("main"))[0].id for _ in range(3)]
    ann = connect(desk, "ann")
    offered = ann.open_work_list(state="offered")
    assert offered.fetch() is not None
    ann.claim_work_item(items[1])  # hers still, but no longer offered
    assert [i.id for i in offered] == [items[2]]
