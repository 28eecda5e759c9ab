"""A PostgreSQL commit's rows of one INSERT go as statements of several rows
(``wfengine.runtime.sql.insert_rows``: 32 at a time, the rest in powers of two), and do and
say what the rows one by one did: the same rows in the same order, a refused row named as
before, an upsert's second row of a key taking its place; a failure that is not the rows'
(a lock timeout) reported as it came, not sent again; and one row per statement where the
batch could not be sent again."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tests.runtime.test_pg_pipeline import _count, _dialect, _ours_prepared, _outbox, _write
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.dialects import PostgresDialect
from wfengine.runtime.sql.insert_rows import MAX_ROWS, grouped, pieces, rows_refused
from wfengine.runtime.sql.wire import Wire


def _keys(pg_sa: sa.Engine) -> list[str]:
    with pg_sa.connect() as conn:
        return list(conn.execute(sa.select(t.outbox.c.key).order_by(t.outbox.c.id)).scalars())


def test_an_inserts_rows_go_as_one_statement_in_their_order(pg_sa: sa.Engine) -> None:
    keys = [f"k{i:03d}" for i in range(MAX_ROWS + 3)]
    _write(pg_sa, (t.outbox.insert(), [_outbox(k) for k in keys]))
    assert _keys(pg_sa) == keys  # the ids (a sequence) given in the rows' order
    with pg_sa.connect() as conn:
        prepared = [s for s in _ours_prepared(conn) if s.startswith("INSERT")]
    # a statement of MAX_ROWS rows, and the three left as two and one
    assert sorted(s.count("), (") + 1 for s in prepared) == [1, 2, MAX_ROWS]


def test_the_rows_go_in_powers_of_two_so_few_statements_are_prepared() -> None:
    assert pieces(1) == ((0, 1),)
    assert pieces(7) == ((0, 4), (4, 2), (6, 1))
    assert pieces(70) == ((0, 32), (32, 32), (64, 4), (68, 2))
    sizes = {size for n in range(1, 200) for _, size in pieces(n)}
    assert sizes == {1, 2, 4, 8, 16, 32}  # a connection prepares at most six forms
    for n in range(1, 200):  # every row once, in order
        assert [i for start, size in pieces(n) for i in range(start, start + size)] == list(
            range(n)
        )


class _Refused(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "rows_own"),
    [("23505", True), ("22P02", True), ("21000", True), ("55P03", False), ("40P01", False),
     ("40001", False), ("57014", False), (None, False)],
)  # fmt: skip
def test_only_a_failure_of_the_rows_is_theirs(sqlstate: str | None, rows_own: bool) -> None:
    assert rows_refused(_Refused(sqlstate)) is rows_own


def _lock_timeout(conn: Any, _record: Any) -> None:
    conn.execute("SET lock_timeout = '200ms'")
    conn.commit()


def test_a_lock_timeout_is_reported_as_it_came_not_sent_again(
    pg_sa: sa.Engine, pg_url: str
) -> None:
    """Sent again one row per statement, a statement that waited for a lock waited twice,
    and a lock released during the second wait turned the timeout into a success."""
    waiting = create_engine(pg_url)
    sa.event.listen(waiting, "connect", _lock_timeout)
    try:
        # the statement prepared first (a Parse waits for the lock too, before any row)
        _write(waiting, (t.outbox.insert(), [_outbox("a"), _outbox("b")]))
        with pg_sa.connect() as holder:
            holder.exec_driver_sql("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(sa.exc.OperationalError) as caught:
                _write(waiting, (t.outbox.insert(), [_outbox("x"), _outbox("y")]))
            holder.rollback()
    finally:
        waiting.dispose()
    print("STMT", caught.value.statement, type(caught.value.orig))
    assert getattr(caught.value.orig, "sqlstate", None) == "55P03"
    # the grouped statement's own failure, not that of a row sent again on its own
    assert caught.value.statement is not None and "), (" in caught.value.statement
    assert _keys(pg_sa) == ["a", "b"]


def test_an_upserts_two_rows_of_one_key_end_as_one_by_one(pg_sa: sa.Engine) -> None:
    """One statement may not update a row twice (PostgreSQL refuses it): the batch goes again
    one row per statement, and the later row is what is stored."""
    upsert = PostgresDialect().upsert(t.id_blocks, ["kind"], replace=["next_value"])
    rows = [{"kind": "a", "next_value": 1}, {"kind": "b", "next_value": 5}]
    rows.append({"kind": "a", "next_value": 9})
    _write(pg_sa, (t.outbox.insert(), [_outbox("x"), _outbox("y")]), (upsert, rows))
    with pg_sa.connect() as conn:
        found = conn.execute(sa.select(t.id_blocks.c.kind, t.id_blocks.c.next_value))
        assert sorted(tuple(r) for r in found) == [("a", 9), ("b", 5)]
    assert _keys(pg_sa) == ["x", "y"]  # the batch's other rows once


def test_rows_in_a_transaction_open_before_the_batch_go_one_by_one(pg_sa: sa.Engine) -> None:
    """Such a batch cannot be sent again (what the transaction did before it is not the
    batch's to repeat): its rows go one per statement, a refused one named itself."""
    dialect = _dialect(pg_sa)
    wire = Wire(dialect, pg_sa.dialect)
    blocks: list[dict[str, Any]] = [{"kind": k, "next_value": 1} for k in ("p", "q", "p")]
    with pg_sa.connect() as conn:
        conn.exec_driver_sql("SELECT 1")  # a transaction open
        with pytest.raises(sa.exc.IntegrityError) as caught, dialect.batched(conn) as run:
            wire.many(run, t.id_blocks.insert(), blocks)
        conn.rollback()
    assert caught.value.params == ("p", 1)
    assert caught.value.statement is not None and "), (" not in caught.value.statement
    assert _count(pg_sa, t.id_blocks) == 0


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE t SET a = %s",
        "INSERT INTO t (a) SELECT %s",
        "INSERT INTO t (a) VALUES (%s) RETURNING t.id",
        "INSERT INTO t (a, b) VALUES (%s, 'x (y')",
    ],
)
def test_only_an_insert_of_parameter_rows_is_grouped(sql: str) -> None:
    assert grouped(sql) is None


def test_a_grouped_insert_repeats_the_row_and_keeps_its_clauses() -> None:
    sql = "INSERT INTO t (a, b) VALUES (%s::VARCHAR(20), %s) ON CONFLICT (a) DO NOTHING"
    rows = grouped(sql)
    assert rows is not None
    assert rows(2) == (
        "INSERT INTO t (a, b) VALUES (%s::VARCHAR(20), %s), (%s::VARCHAR(20), %s) "
        "ON CONFLICT (a) DO NOTHING"
    )
