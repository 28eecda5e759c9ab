"""Property tests: random structured processes always end well, and deterministically.

The shapes (:mod:`tests.runtime.shapes`) are trees of sequences, Parallel/Exclusive/Inclusive
blocks, counted loops, block activities, subflows, multi-instance activities and automatic or
manual leaves. Each tree comes with the data that decides its choices, so the expected number
of runs of every activity can be computed from the tree alone and compared with the traces.

Every property holds on the in-memory store and on a SQLite file, where every command loads
the instance from its stored document and writes it back (the differential test of the two is
:mod:`tests.runtime.test_sql_properties`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given

from tests.runtime.shapes import MAIN, Node, Shape, bind, shape, trees
from tests.runtime.sql_files import SqliteFiles, sqlite_files_fixture  # noqa: F401
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

STORES = ("memory", "sqlite")


@contextmanager
def _engine(store: str, files: SqliteFiles, tree: Node) -> Iterator[tuple[Engine, Shape]]:
    s = shape(tree)
    db_url = files.fresh() if store == "sqlite" else None
    with Engine(db_url=db_url) as engine:
        bind(engine)
        engine.deploy(s.package)
        yield engine, s


def _drive(engine: Engine) -> str:
    """Start ``main`` and complete offered work items (of any instance), oldest first."""
    iid = engine.start_process(MAIN)
    for _ in range(10_000):
        items = engine.work_items()
        if not items:
            break
        engine.complete_work_item(items[0].id)
    return iid


@pytest.mark.parametrize("store", STORES)
@given(tree=trees())
def test_structured_processes_end_completed_with_nothing_left_behind(
    store: str, sqlite_files: SqliteFiles, tree: Node
) -> None:
    with _engine(store, sqlite_files, tree) as (engine, s):
        iid = _drive(engine)
        assert engine.instance(iid).state is ProcessState.COMPLETED
        runs: dict[str, Counter[str]] = {pid: Counter() for pid in s.expected}
        for summary in engine.instance_summaries():
            assert engine.incidents(summary.id) == []
            assert engine.instance(summary.id).state is ProcessState.COMPLETED
            assert engine.tokens(summary.id) == []
            assert not [a for a in engine.activity_instances(summary.id) if a.state.is_open]
            runs[summary.process_id].update(engine.trace(summary.id))
        assert engine.work_items() == []
        assert engine.jobs() == []
        assert runs == s.expected


@given(tree=trees())
def test_same_input_gives_the_same_trace(sqlite_files: SqliteFiles, tree: Node) -> None:
    """Two in-memory runs agree; that a SQLite run agrees with an in-memory one, after every
    command, is :mod:`tests.runtime.test_sql_properties`."""
    runs = []
    for _ in range(2):
        with _engine("memory", sqlite_files, tree) as (engine, _):
            _drive(engine)
            runs.append(
                [
                    (engine.trace(i.id), [(e.kind, e.activity_id) for e in engine.audit(i.id)])
                    for i in engine.instance_summaries()
                ]
            )
    assert runs[0] == runs[1]
