"""What the database plans to do with a statement: the tests that a query is an index hit read
it here, the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from wfengine import Engine
from wfengine.runtime.sql.store import SqlStore


def query_plan(
    url: str, statement: str, parameters: Any = None, *, analyze: str | None = None
) -> str:
    """The plan of ``statement`` (its parameters in the driver's style) on the database at
    ``url``, as one line: SQLite's ``EXPLAIN QUERY PLAN``; PostgreSQL's ``EXPLAIN`` with
    sequential scans turned off (the tests' tables are tiny, where a scan is cheapest: this
    asks whether the index can serve the query), after ``ANALYZE`` of the table ``analyze``
    (statistics of its rows now, not of what earlier tests left in it before it was emptied).
    """
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            else:
                if analyze is not None:
                    conn.exec_driver_sql(f"ANALYZE {analyze}")
                conn.exec_driver_sql("SET enable_seqscan = off")
                rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters)
            return " ".join(str(r) for r in rows)
    finally:
        engine.dispose()


def first_statement(engine: Engine, table: str, call: Callable[[], object]) -> tuple[str, Any]:
    """The first statement reading ``table`` that ``call`` sends, with its parameters (for
    :func:`query_plan`)."""
    assert isinstance(engine.store, SqlStore)
    sent: list[tuple[str, Any]] = []

    def record(_c: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if f"FROM {table}" in statement:
            sent.append((statement, parameters))

    sa_engine = engine.store.sa_engine
    sa.event.listen(sa_engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        sa.event.remove(sa_engine, "before_cursor_execute", record)
    assert sent, f"no statement on {table}"
    return sent[0]
