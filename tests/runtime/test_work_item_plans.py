"""Listing one instance's open work items is an index range over (instance_id, state) on
SQLite and PostgreSQL (issue 14: SQLite used to pick the state index and read every open
item of every instance); it does not load the instance, and the one statement also tells
whether the instance exists."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import store_url
from tests.runtime.plans import query_plan
from wfengine import Engine, PackageBuilder
from wfengine.errors import NotFoundError
from wfengine.runtime.sql import reads
from wfengine.runtime.sql.store import SqlStore


def _query(url: str) -> str:
    """The statement the store lists an instance's open items with, as the database gets it."""
    bound = reads.OPEN_ITEMS_OF.params(instance_id="pi-1")
    dialect = sa.make_url(url).get_dialect()()
    return str(bound.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


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
    plan = query_plan(url, _query(url), analyze="work_items")
    assert "ix_work_items_instance_state" in plan, plan


def test_an_instance_without_open_items_is_one_statement(db_url: str) -> None:
    """An empty list (the instance exists) and an unknown instance are told apart by the
    statement that lists the items, not by a second read."""
    with Engine(db_url=db_url) as e:
        e.deploy(_process().build())
        iid = e.start_process("main")
        e.complete_work_item(e.work_items(iid)[0].id)
        assert isinstance(e.store, SqlStore)
        sent: list[str] = []
        sa.event.listen(e.store.sa_engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
        assert e.work_items(iid) == []
        with pytest.raises(NotFoundError, match="pi-404"):
            e.work_items("pi-404")
        assert len(sent) == 2, sent
