"""Rows edited by hand that are not what the engine wrote: an instance document that is JSON
but not an object is a StoreError naming the instance (it was an AttributeError traceback),
and an incident row whose time or count is not one is left out of the open incidents, named,
the others listed (one such row hid them all, and ``attempts`` came out as the text it held)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.store import SqlStore


def _execute(engine: Engine, statement: str, **params: object) -> None:
    assert isinstance(engine.store, SqlStore)
    with engine.store.sa_engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def _started(engine: Engine, count: int) -> list[str]:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a").activity("b").transition("a", "b")
    engine.deploy(pb.build())
    return [engine.start_process("main", defer=True) for _ in range(count)]


@pytest.mark.parametrize("document", ["[]", "3", '"text"'])
def test_a_document_that_is_not_an_object_names_its_instance(
    sql_engine: Engine, document: str
) -> None:
    (iid,) = _started(sql_engine, 1)
    _execute(
        sql_engine, "UPDATE process_instances SET state_blob = :d WHERE id = :i", d=document, i=iid
    )
    with pytest.raises(StoreError, match=f"process instance '{iid}': its row cannot be read"):
        sql_engine.instance(iid)
    with pytest.raises(StoreError, match=iid):
        sql_engine.abort(iid)


_INCIDENT = (
    "INSERT INTO incidents (id, instance_id, activity_id, operation, message, attempts,"
    " created_at, resolved) VALUES (:id, :i, 'a', 'run', 'm', :n, :at, :r)"
)


def test_an_incident_row_that_cannot_be_read_is_left_out_and_named(
    sql_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    (iid,) = _started(sql_engine, 1)
    at = "2026-01-01 00:00:00.000000"
    _execute(sql_engine, _INCIDENT, id="inc-good", i=iid, n=2, at=at, r=False)
    if sql_engine.store.sa_engine.dialect.name == "sqlite":  # type: ignore[attr-defined]
        # (PostgreSQL's columns hold only what their types take)
        _execute(sql_engine, _INCIDENT, id="inc-time", i=iid, n=1, at="garbage", r=False)
        _execute(sql_engine, _INCIDENT, id="inc-count", i=iid, n="x", at=at, r=False)
    with caplog.at_level(logging.WARNING, logger="wfengine.store"):
        found = sql_engine.incidents()
    assert [(i.id, i.attempts) for i in found] == [("inc-good", 2)]
    if sql_engine.store.sa_engine.dialect.name == "sqlite":  # type: ignore[attr-defined]
        assert "'inc-time'" in caplog.text and "Invalid isoformat string" in caplog.text
        assert "'inc-count'" in caplog.text and "attempts is 'x', not an integer" in caplog.text
