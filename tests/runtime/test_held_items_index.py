"""A page of a user's worklist reads their open held items only (migration 0024): a work item
keeps its holder once completed, and the held query read, through ``ix_work_items_holder``
``(holder)``, every item the user ever held, then sorted the open ones (SQLite: a temporary
B-tree), so a page grew with the user's history. ``ix_work_items_held`` ``(holder,
created_at, id)`` over the open held items is one range in worklist order, on SQLite and
PostgreSQL, for a new database and an upgraded one; the answers are the same."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tests.runtime.plans import first_statement, query_plan
from wfengine import Engine, Organisation, PackageBuilder, WorkItemState
from wfengine.runtime.sql import migrate

ORG = {"users": [{"id": u, "roles": ["clerk"]} for u in ("ann", "bob")]}


def _engine(url: str) -> Engine:
    return Engine(db_url=url, directory=Organisation.from_data(ORG))


def _history(e: Engine) -> dict[str, list[str]]:
    """ann completed items, holds some (claimed, started), and is offered others; bob holds
    one: the ids of each kind, in creation order."""
    pb = PackageBuilder("pkg")
    pb.process("main").activity("work", performer="clerk")
    e.deploy(pb.build())
    made: dict[str, list[str]] = {"done": [], "claimed": [], "started": [], "offered": []}
    for kind in ("done", "claimed", "done", "started", "offered", "claimed", "done", "bob"):
        [item] = e.work_items(e.start_process("main"))
        made.setdefault(kind, []).append(item.id)
        if kind != "offered":
            e.claim_work_item(item.id, "bob" if kind == "bob" else "ann")
        if kind == "started":
            e.start_work_item(item.id, "ann")
        if kind == "done":
            e.complete_work_item(item.id, user="ann")
    return made


def _pages(e: Engine, user: str, size: int) -> list[list[str]]:
    pages: list[list[str]] = []
    after = None
    while page := e.work_items_of(user, after=after, limit=size):
        pages.append([w.id for w in page])
        after = page[-1]
    return pages


def _answers(e: Engine, made: dict[str, list[str]]) -> None:
    """What the worklist answers: open held and offered items merged in creation order, by
    state, in pages; nothing completed, nothing another user holds."""
    ann = [i for kind in ("claimed", "started", "offered") for i in made[kind]]
    ann.sort(key=lambda i: (e.work_item(i).created_at, i))
    assert [w.id for w in e.work_items_of("ann")] == ann
    assert [w.id for w in e.work_items_of("ann", limit=2)] == ann[:2]
    assert _pages(e, "ann", 2) == [ann[0:2], ann[2:4]]
    assert [w.id for w in e.work_items_of("ann", state=WorkItemState.STARTED)] == made["started"]
    assert [w.id for w in e.work_items_of("ann", state="allocated")] == made["claimed"]
    assert [w.id for w in e.work_items_of("bob")] == made["offered"] + made["bob"]


def _plans(e: Engine, url: str) -> list[str]:
    """The plans of the held query of a first page, of a page after an item, of one state."""
    [after] = e.work_items_of("ann", limit=1)
    calls: list[Any] = [
        lambda: e.work_items_of("ann", limit=50),
        lambda: e.work_items_of("ann", after=after, limit=50),
        lambda: e.work_items_of("ann", state=WorkItemState.STARTED, limit=50),
    ]
    held = [first_statement(e, "work_items", call) for call in calls]
    return [query_plan(url, s, p, analyze="work_items") for s, p in held]


def _indexes(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                names = "SELECT name FROM sqlite_master WHERE type = 'index'"
            else:
                names = "SELECT indexname FROM pg_indexes"
            return set(conn.exec_driver_sql(names).scalars())
    finally:
        engine.dispose()


def test_a_page_of_held_items_is_one_range_of_the_open_ones(db_url: str) -> None:
    with _engine(db_url) as e:
        made = _history(e)
        _answers(e, made)
        plans = _plans(e, db_url)
    for plan in plans:
        assert "ix_work_items_held" in plan, plan
        assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_an_upgraded_database_gets_the_index_and_answers_the_same(db_url: str) -> None:
    with _engine(db_url) as e:
        made = _history(e)
    assert migrate.downgrade(db_url, "0023")[1] == "0023"
    assert "ix_work_items_holder" in _indexes(db_url)
    assert "ix_work_items_held" not in _indexes(db_url)
    assert migrate.upgrade(db_url)[0] == "0023"
    found = _indexes(db_url)
    assert "ix_work_items_held" in found and "ix_work_items_holder" not in found
    with _engine(db_url) as e:
        _answers(e, made)
        assert all("ix_work_items_held" in plan for plan in _plans(e, db_url))


def test_the_items_people_hold_per_process_still_read_an_index(db_url: str) -> None:
    """The other reader of the old index: the metrics' open items each user holds."""
    with _engine(db_url) as e:
        _history(e)
        holding = first_statement(e, "work_items w JOIN", lambda: e.store.user_stats("main"))
        assert e.store.user_stats("main") == {"ann": (3, 3), "bob": (0, 1)}  # type: ignore[attr-defined]
    plan = query_plan(db_url, *holding, analyze="work_items")
    assert "ix_work_items_" in plan, plan  # (which one: the planner's choice by the rows)
