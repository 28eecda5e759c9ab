"""A worklist's due times cost a SQL store a few statements per page, however many items the
page holds. Before, ``worklist()`` (what ``wfengine worklist`` prints) read each listed
instance whole, then its timers, one instance after the other: 4,002 statements for 2,000
items, about five seconds for one user's list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.builder import deadline, multi_instance
from wfengine.runtime.sql.store import SqlStore
from wfengine.worklist.worklists import WorklistEntry, worklist

START = datetime(2030, 1, 6, 9, tzinfo=UTC)


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


def _deploy(engine: Engine) -> None:
    """``plain``: work with no deadline; ``late``: work due in an hour (asynchronous: it
    stays open once fired); ``pair``: two instances of a multi-instance activity due in
    two hours (each due when its container is)."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("plain").activity("answer", performer="clerk")
    pb.process("late").activity("answer", performer="clerk", deadlines=[deadline("PT1H", "Late")])
    pb.process("pair").activity(
        "sign",
        performer="clerk",
        loop=multi_instance("2", ordering="Parallel"),
        deadlines=[deadline("PT2H", "Late")],
    )
    engine.deploy(pb.build())


def _start_each(engine: Engine, clock: VirtualClock) -> None:
    """One instance of each process, then 90 minutes on: the ``late`` deadlines fired."""
    for process_id in ("plain", "late", "pair"):
        engine.start_process(process_id)
    clock.advance(timedelta(minutes=90))


def _dues(entries: list[WorklistEntry]) -> dict[str, list[timedelta | None]]:
    """How long after it was offered each item is due, by process."""
    found: dict[str, list[timedelta | None]] = {}
    for e in entries:
        due = None if e.due is None else e.due - e.item.created_at
        found.setdefault(e.process_id, []).append(due)
    return found


def test_a_page_costs_the_same_statements_however_many_instances_it_lists(
    tmp_path: Path,
) -> None:
    clock = VirtualClock(START)
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")
    with Engine(store=store, clock=clock) as engine:
        _deploy(engine)
        _start_each(engine, clock)
        few, seen_few = _statements(store, lambda: worklist(engine, "clerk"))
        for _ in range(9):
            _start_each(engine, clock)
        many, seen_many = _statements(store, lambda: worklist(engine, "clerk"))
        assert len(few) == 4 and len(many) == 40
        # what each item is due: late work an hour after it was offered (its deadline
        # fired, and it still says when it was due), a pair's two items two hours after
        hour, two = timedelta(hours=1), timedelta(hours=2)
        expected = {"plain": [None], "late": [hour], "pair": [two, two]}
        assert _dues(few) == expected
        assert _dues(many) == {k: v * 10 for k, v in expected.items()}
        # the items (two index ranges), their instances' states, then the instances'
        # versions and timers, the deadlines that fired and the containers, each once
        assert len(seen_many) == len(seen_few), (seen_few, seen_many)
        assert len(seen_many) <= 10, seen_many
        # (an instance's document, which grows with its history, is never read)
        assert not [s for s in seen_many if "state_blob" in s], seen_many


def test_the_memory_store_gives_the_same_due_times() -> None:
    clock = VirtualClock(START)
    with Engine(clock=clock) as engine:
        _deploy(engine)
        _start_each(engine, clock)
        hour, two = timedelta(hours=1), timedelta(hours=2)
        assert _dues(worklist(engine, "clerk")) == {
            "plain": [None],
            "late": [hour],
            "pair": [two, two],
        }
