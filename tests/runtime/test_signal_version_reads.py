"""A signal broadcast reads the deployed versions of all processes at once
(``Store.deployed_versions``), not a query per process: with 400 processes on SQLite that was
400 queries, some 130 ms, a broadcast. The versions it reads are each process's, ascending,
by process in ``deployed_process_ids`` order, on every store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import STORES, store_url
from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.sql.store import SqlStore


def _package(processes: int, tag: str = "") -> Any:
    pb = PackageBuilder(f"pkg{tag}")
    for k in range(processes):
        pb.process(f"p{k}").activity("w", performer="clerk")
    a = pb.process("waits")
    a.start("s").intermediate("hear", trigger="Signal", signal="alarm").end("e")
    a.sequence("s", "hear", "e")
    return pb.build()


@pytest.mark.parametrize("kind", STORES)
def test_the_deployed_versions_are_each_processs_in_listing_order(
    request: pytest.FixtureRequest, kind: str, tmp_path: Path
) -> None:
    with Engine(clock=VirtualClock(), db_url=store_url(request, kind, tmp_path)) as e:
        e.deploy(_package(3))
        e.deploy(_package(2, "b"))  # p0, p1 and waits again: version 2
        store = e.store
        ids = store.deployed_process_ids()
        assert store.deployed_versions() == {p: store.versions(p) for p in ids}
        assert list(store.deployed_versions()) == ids
        assert store.deployed_versions()["p0"] == [1, 2]
        assert store.deployed_versions()["p2"] == [1]


def _deployment_reads(e: Engine, name: str) -> int:
    """How many statements on the deployments table broadcasting ``name`` sends."""
    store = e.store
    assert isinstance(store, SqlStore)
    sent: list[str] = []

    def record(_c: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "FROM deployments" in statement:
            sent.append(statement)

    sa.event.listen(store.sa_engine, "before_cursor_execute", record)
    try:
        assert e.broadcast_signal(name) == 1
    finally:
        sa.event.remove(store.sa_engine, "before_cursor_execute", record)
    return len(sent)


def test_a_broadcast_reads_the_deployments_table_a_few_times_whatever_the_processes(
    tmp_path: Path,
) -> None:
    counts = []
    for processes in (5, 40):
        url = f"sqlite:///{tmp_path / f'wf{processes}.db'}"
        with Engine(clock=VirtualClock(), db_url=url) as e:
            e.deploy(_package(processes))
            waiting = e.start_process("waits")
            counts.append(_deployment_reads(e, "alarm"))
            assert e.instance(waiting).state.is_closed
    assert counts[0] == counts[1] <= 3, counts
