"""Listing one instance's open work items is an index range over (instance_id, state) on
SQLite and PostgreSQL (issue 14: SQLite used to pick the state index and read every open
item of every instance), and it does not load the instance."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder
from wfengine.errors import NotFoundError

QUERY = (
    "SELECT id FROM work_items WHERE instance_id = 'pi-1' "
    "AND state IN ('offered', 'allocated', 'started')"
)


def _process() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("main").activity("work", performer="clerk")
    return pb


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_an_instances_open_items_are_an_index_range(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = store_url(request, kind, tmp_path)
    assert url is not None
    with Engine(db_url=url) as e:
        e.deploy(_process().build())
        iids = [e.start_process("main") for _ in range(5)]
        assert [w.instance_id for w in e.work_items(iids[0])] == [iids[0]]
        with pytest.raises(NotFoundError):
            e.work_items("pi-404")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            if kind == "sqlite":
                plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + QUERY))
            else:
                # statistics of this table's rows, not of what earlier tests left in it before
                # it was emptied (once, the planner chose another index from those)
                conn.exec_driver_sql("ANALYZE work_items")
                conn.exec_driver_sql("SET enable_seqscan = off")  # a tiny table: ask for it
                plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN " + QUERY))
            assert "ix_work_items_instance_state" in plan, plan
    finally:
        engine.dispose()
