"""Marking the work of suspended instances (``WorkItemSnapshot.suspended``) costs a SQL store's
listing no statement of its own: the item reads carry their instances' states. Before, every
``engine.work_items(iid)`` and ``engine.work_item(id)`` made two statements (the items, then
the instance's state), a second round trip on every step of a program driving a process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from wfengine import Engine, PackageBuilder
from wfengine.runtime.sql.store import SqlStore


def _statements(store: SqlStore, read: Callable[[], Any]) -> tuple[Any, list[str]]:
    """What ``read()`` returns, and the statements it ran on ``store``'s own connections."""
    seen: list[str] = []

    def before(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    sa.event.listen(store.sa_engine, "before_cursor_execute", before)
    try:
        return read(), seen
    finally:
        sa.event.remove(store.sa_engine, "before_cursor_execute", before)


def _engine(tmp_path: Path) -> tuple[Engine, SqlStore]:
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")
    engine = Engine(store=store)
    pb = PackageBuilder("p")
    pb.participant("clerk")
    pb.process("task").activity("w", performer="clerk")
    engine.deploy(pb.build())
    return engine, store


def test_an_instances_work_is_read_and_marked_in_one_statement(tmp_path: Path) -> None:
    engine, store = _engine(tmp_path)
    with engine:
        live, paused = engine.start_process("task"), engine.start_process("task")
        engine.suspend(paused)
        for iid, suspended in ((live, False), (paused, True)):
            (item,), seen = _statements(store, lambda iid=iid: engine.work_items(iid))
            assert item.suspended is suspended and len(seen) == 1, seen
            one, seen = _statements(store, lambda item=item: engine.work_item(item.id))
            assert one.suspended is suspended and len(seen) == 1, seen
        every, seen = _statements(store, engine.work_items)
        assert {w.instance_id: w.suspended for w in every} == {live: False, paused: True}
        assert len(seen) == 1, seen


def test_a_work_list_page_is_marked_by_one_read_more(tmp_path: Path) -> None:
    engine, store = _engine(tmp_path)
    with engine:
        live, paused = engine.start_process("task"), engine.start_process("task")
        engine.suspend(paused)
        mine, seen = _statements(store, lambda: engine.work_items_of("clerk"))
        assert {w.instance_id: w.suspended for w in mine} == {live: False, paused: True}
        # the two index ranges of a page (held items, offered items), then the page's
        # instances' states at once (a read of the states it did not see)
        assert len(seen) == 3 and "work_items" not in seen[2], seen


def test_a_mark_follows_the_instance_after_the_read_that_saw_it(tmp_path: Path) -> None:
    """A state read with the items serves that read's marks only: the next listing sees the
    instance as it stands then."""
    engine, store = _engine(tmp_path)
    with engine:
        iid = engine.start_process("task")
        (item,) = engine.work_items(iid)
        assert not item.suspended
        engine.suspend(iid)
        assert engine.work_item(item.id).suspended
        assert store.suspended_among([iid]) == {iid}  # nothing kept: read afresh
        engine.resume(iid)
        assert store.suspended_among([iid]) == set()
        assert not engine.work_items(iid)[0].suspended
