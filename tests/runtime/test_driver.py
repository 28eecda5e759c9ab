"""The reads every command makes and the commit's statements run on the driver's cursor
(``sql/driver.py``): the reads return what SQLAlchemy's execution returns, and both fail as
SQLAlchemy's would and show to statement listeners and the engine's log as SQLAlchemy's do
(the commit's own failures: ``test_durable``, ``test_sql_seams`` and the race tests)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder
from wfengine.runtime.sql import deployments, reads
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.store import SqlStore


def _package() -> Any:
    pb = PackageBuilder("pkg")
    p = pb.process("desk")
    p.data_field("amount", "INTEGER", initial="0")
    p.activity("answer", performer="clerk", deadlines=[("PT1H", "Late", "ASYNCHR")])
    p.activity("done").transition("answer", "done")
    return pb.build()


@pytest.fixture
def engine(sql_engine: Engine) -> Engine:
    sql_engine.deploy(_package())
    return sql_engine


def _store(e: Engine) -> SqlStore:
    assert isinstance(e.store, SqlStore)
    return e.store


def test_each_read_returns_what_sqlalchemy_returns(engine: Engine) -> None:
    """Row for row, key for key and value for value (aware datetimes, JSON lists, versions),
    every built-once read the commands make."""
    iid = engine.start_process("desk", {"amount": 7})
    engine.start_process("desk")
    (item,) = engine.work_items(iid)
    (job,) = engine.store.jobs(iid)
    store = _store(engine)
    cases = [
        (reads.INSTANCE, {"instance_id": iid}),
        (reads.SUMMARY, {"instance_id": iid}),
        (reads.ITEM, {"work_item_id": item.id}),
        (reads.ITEM_AND_INSTANCE, {"work_item_id": item.id}),
        (reads.OPEN_ITEMS, {}),
        (reads.OPEN_ITEMS_OF, {"instance_id": iid}),
        (reads.OPEN_ITEMS_OF, {"instance_id": "pi-404"}),
        (reads.JOB, {"job_id": job.id}),
        (reads.JOB_AND_INSTANCE, {"job_id": job.id}),
        (deployments._LATEST, {"process_id": "desk"}),
        (deployments._VERSION, {"process_id": "desk", "version": 1}),
    ]
    with store.sa_engine.connect() as conn:
        expected = [
            [dict(r) for r in conn.execute(stmt, params).mappings()] for stmt, params in cases
        ]
    got = [store._db.rows(stmt, params) for stmt, params in cases]
    assert got == expected
    for rows_got, rows_expected in zip(got, expected, strict=True):
        for row_got, row_expected in zip(rows_got, rows_expected, strict=True):
            assert list(row_got) == list(row_expected)  # the same keys in the same order
            types = {k: type(v) for k, v in row_got.items()}
            assert types == {k: type(v) for k, v in row_expected.items()}
    assert got[1][0]["created_at"].tzinfo is not None
    assert [len(rows) for rows in got] == [1, 1, 1, 1, 2, 1, 0, 1, 1, 1, 1]


def test_a_drivers_error_is_sqlalchemys(engine: Engine) -> None:
    """A driver error is raised as SQLAlchemy's (what the retry policy looks at), naming the
    statement."""
    iid = engine.start_process("desk")
    store = _store(engine)
    with store.sa_engine.begin() as conn:  # a table gone from under the store
        conn.execute(sa.text("ALTER TABLE work_items RENAME TO work_items_gone"))
    try:
        with pytest.raises(sa.exc.DBAPIError, match="work_items") as caught:
            engine.work_items(iid)
        assert not caught.value.connection_invalidated
        (job,) = engine.store.jobs(iid)  # the store carries on with its other reads
        assert job.instance_id == iid
    finally:
        with store.sa_engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE work_items_gone RENAME TO work_items"))
    assert [w.activity_id for w in engine.work_items(iid)] == ["answer"]


def test_listeners_see_each_read(engine: Engine) -> None:
    """``before_cursor_execute`` and ``after_cursor_execute`` listeners see a read's SQL and
    parameters as the driver gets them."""
    iid = engine.start_process("desk")
    store = _store(engine)
    seen: list[tuple[str, str, Any]] = []

    def before(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append(("before", statement, params))

    def after(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append(("after", statement, params))

    sa.event.listen(store.sa_engine, "before_cursor_execute", before)
    sa.event.listen(store.sa_engine, "after_cursor_execute", after)
    engine.instance_summary(iid)
    assert [(when, f"FROM {t.process_instances.name}" in sql) for when, sql, _ in seen] == [
        ("before", True),
        ("after", True),
    ]
    assert [tuple(params) for _, _, params in seen] == [(iid,), (iid,)]
    sa.event.remove(store.sa_engine, "after_cursor_execute", after)
    sa.event.remove(store.sa_engine, "before_cursor_execute", before)
    # one that raises stops the read: test_kept_connection (and gives its connection back)
    assert [w.activity_id for w in engine.work_items(iid)] == ["answer"]


def test_an_echoing_engine_logs_the_reads(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}", engine_options={"echo": True})
    with Engine(store=store) as e:
        e.deploy(_package())
        iid = e.start_process("desk")
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"):
            e.work_items(iid)
    assert [r for r in caplog.records if "FROM process_instances" in r.getMessage()]


def test_listeners_see_a_commits_statements_with_their_rows(engine: Engine) -> None:
    """A commit's rows go to the driver in one ``executemany`` per table when there are
    several (flagged so to listeners), in one ``execute`` when there is one."""
    store = _store(engine)
    seen: list[tuple[str, Any, bool]] = []

    def before(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        seen.append((statement.split("(")[0].strip(), params, many))

    sa.event.listen(store.sa_engine, "before_cursor_execute", before)
    iid = engine.start_process("desk")
    sa.event.remove(store.sa_engine, "before_cursor_execute", before)
    audit = [(params, many) for sql, params, many in seen if sql == "INSERT INTO audit_events"]
    assert len(audit) == 1
    rows, many = audit[0]
    assert many and len(rows) > 1 and {row[0] for row in rows} == {iid}
    instance = [
        (params, many)
        for sql, params, many in seen
        if sql.startswith("INSERT INTO process_instances")
    ]
    assert len(instance) == 1 and not instance[0][1] and instance[0][0][0] == iid
