"""The commit's rows written straight to the driver read back as SQLAlchemy's own would.

The store reads through SQLAlchemy and compares times in SQL (due jobs, outbox entries), so a
row the commit renders itself must hold exactly what SQLAlchemy would have written: the same
SQLite text for a time, JSON that decodes to the same value (keys in their order), NULL where
SQLAlchemy writes NULL.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.dialects import dialect_for
from wfengine.runtime.sql.driver import on_cursor
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.sql.wire import Wire

WHEN = datetime(2027, 1, 4, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'wire.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    found = SqlStore(url)
    yield found
    found.close()


def _row(key: str, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "key": key,
        "kind": "work_item.offered",
        "instance_id": "pi-1",
        "payload": {"z": 1, "a": [1.5, "é", None], "m": {"b": True, "a": False}},
        "created_at": WHEN,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": None,
    }
    row.update(changes)
    return row


def _wire(store: SqlStore) -> Wire:
    dialect = dialect_for(store.sa_engine.url)
    assert dialect is not None
    return Wire(dialect, store.sa_engine.dialect)


def _read(conn: sa.Connection, key: str) -> dict[str, Any]:
    o = t.outbox
    found = conn.execute(sa.select(o).where(o.c.key == key)).mappings().one()
    return {k: v for k, v in found.items() if k != "id"}


def test_a_row_written_by_the_wire_reads_back_as_one_written_by_sqlalchemy(
    store: SqlStore,
) -> None:
    """On the driver's cursor, and in a batch (on PostgreSQL libpq's pipeline, sent by
    wfengine itself with psycopg's conversions)."""
    wire = _wire(store)
    dialect = dialect_for(store.sa_engine.url)
    assert dialect is not None
    with store.sa_engine.begin() as conn:
        conn.execute(t.outbox.insert(), [_row("by-sqlalchemy")])
        wire.many(on_cursor(conn), t.outbox.insert(), [_row("by-wire")])
        with dialect.batched(conn) as run:
            wire.many(run, t.outbox.insert(), [_row("in-a-batch"), _row("in-a-batch-2")])
        theirs = _read(conn, "by-sqlalchemy")
        found = [_read(conn, k) for k in ("by-wire", "in-a-batch", "in-a-batch-2")]
    for ours in found:
        assert {**ours, "key": None} == {**theirs, "key": None}
        assert ours["created_at"] == WHEN and ours["created_at"].tzinfo is UTC
        assert list(ours["payload"]) == ["z", "a", "m"]  # the keys in their order
        assert list(ours["payload"]["m"]) == ["b", "a"]
        assert ours["next_attempt_at"] is None


def test_sqlite_holds_the_same_time_text_so_sql_comparisons_agree(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'wire.db'}")
    wire = _wire(store)
    utc = WHEN.astimezone(UTC)  # the same moment in another zone, then a later one
    rows = [_row("a", next_attempt_at=WHEN), _row("c", next_attempt_at=utc)]
    rows.append(_row("b", next_attempt_at=WHEN + timedelta(hours=1)))
    with store.sa_engine.begin() as conn:
        conn.execute(t.outbox.insert(), [{**rows[0], "key": "sa"}])
        wire.many(on_cursor(conn), t.outbox.insert(), rows)
        texts = dict(conn.exec_driver_sql("SELECT key, next_attempt_at FROM outbox").all())
        o = t.outbox
        due = conn.execute(sa.select(o.c.key).where(o.c.next_attempt_at <= WHEN)).scalars()
        assert sorted(due) == ["a", "c", "sa"]
    store.close()
    assert texts["a"] == texts["c"] == texts["sa"] == "2027-01-04 07:30:15.123456"
    assert texts["b"] == "2027-01-04 08:30:15.123456"


def test_one_says_how_many_rows_it_changed(store: SqlStore) -> None:
    wire, o = _wire(store), t.outbox
    dialect = dialect_for(store.sa_engine.url)
    assert dialect is not None
    update = o.update().where(o.c.key == sa.bindparam("k")).values(status=sa.bindparam("status"))
    with store.sa_engine.begin() as conn:
        run = on_cursor(conn)
        wire.many(run, o.insert(), [_row("a"), _row("b")])
        assert dialect.changed(wire.one(run, update, {"status": "failed", "k": "a"})) == 1
        assert dialect.changed(wire.one(run, update, {"status": "failed", "k": "b0"})) == 0
        # in a batch (a pipeline on PostgreSQL) the counts are known once the batch ended
        with dialect.batched(conn) as run:
            hit = wire.one(run, update, {"status": "delivered", "k": "b"})
            miss = wire.one(run, update, {"status": "delivered", "k": "nobody"})
        assert (dialect.changed(hit), dialect.changed(miss)) == (1, 0)
        assert _read(conn, "a")["status"] == "failed" and _read(conn, "b")["status"] == "delivered"


def test_rows_must_give_every_parameter_the_statement_takes(store: SqlStore) -> None:
    wire, o = _wire(store), t.outbox
    update = o.update().where(o.c.key == sa.bindparam("k")).values(status=sa.bindparam("status"))
    with store.sa_engine.begin() as conn, pytest.raises(ValueError, match="takes"):
        wire.one(on_cursor(conn), update, {"status": "failed"})


def test_rows_of_one_statement_must_have_the_same_keys(store: SqlStore) -> None:
    wire = _wire(store)
    with store.sa_engine.begin() as conn, pytest.raises(ValueError, match="other keys"):
        wire.many(on_cursor(conn), t.outbox.insert(), [_row("a"), {**_row("b"), "last_error": "x"}])


def test_rows_rendered_earlier_are_written_first_with_the_rest(store: SqlStore) -> None:
    """A long command renders its history's rows as it goes and its commit writes them
    first, with the rows it renders then: all of them read back as SQLAlchemy's would."""
    wire, insert = _wire(store), t.outbox.insert()
    early = wire.render(insert, [_row("early-1"), _row("early-2", next_attempt_at=WHEN)])
    gc.collect()  # plain values only: the collector stops following the rows at once
    assert not any(gc.is_tracked(r) for r in early)
    with store.sa_engine.begin() as conn:
        conn.execute(insert, [_row("by-sqlalchemy")])
        wire.many(on_cursor(conn), insert, [_row("late")], early)
        wire.many(on_cursor(conn), insert, [], wire.render(insert, [_row("alone")]))
        keys = [k for (k,) in conn.exec_driver_sql("SELECT key FROM outbox ORDER BY id")]
        theirs = {**_read(conn, "by-sqlalchemy"), "key": None}
        for key in ("early-1", "late", "alone"):
            assert {**_read(conn, key), "key": None} == theirs
        assert _read(conn, "early-2")["next_attempt_at"] == WHEN
    assert keys == ["by-sqlalchemy", "early-1", "early-2", "late", "alone"]


def test_rows_rendered_for_other_keys_are_refused(store: SqlStore) -> None:
    wire, insert = _wire(store), t.outbox.insert()
    early = wire.render(insert, [{**_row("a"), "last_error": "x"}])
    with store.sa_engine.begin() as conn, pytest.raises(ValueError, match="other keys"):
        wire.many(on_cursor(conn), insert, [_row("b")], early)
    with pytest.raises(ValueError, match="other keys than before"):
        wire.render(insert, [_row("c")])  # one statement's rendered rows share their keys


def test_a_naive_time_is_refused_before_it_is_written(store: SqlStore) -> None:
    wire = _wire(store)
    with store.sa_engine.begin() as conn, pytest.raises(ValueError, match="naive datetime"):
        wire.many(on_cursor(conn), t.outbox.insert(), [_row("a", created_at=datetime(2027, 1, 4))])


def test_a_json_value_of_none_and_a_one_key_statement_read_back_as_sqlalchemy_writes_them(
    store: SqlStore,
) -> None:
    """A JSON column given None holds what SQLAlchemy's JSON type writes for it (JSON
    ``null``, read back as None), and a statement taking one parameter (a DELETE by key) gets
    it as a one-value row: the two shapes the rendering takes short cuts for."""
    wire, o = _wire(store), t.outbox
    with store.sa_engine.begin() as conn:
        conn.execute(o.insert(), [_row("by-sqlalchemy", payload=None)])
        wire.many(on_cursor(conn), o.insert(), [_row("by-wire", payload=None), _row("gone")])
        texts = dict(conn.exec_driver_sql("SELECT key, CAST(payload AS TEXT) FROM outbox").all())
        assert texts["by-wire"] == texts["by-sqlalchemy"] == "null"
        assert _read(conn, "by-wire")["payload"] is None
        delete = o.delete().where(o.c.key == sa.bindparam("gone_key"))
        wire.many(on_cursor(conn), delete, [{"gone_key": "gone"}])
        assert sorted(texts) == ["by-sqlalchemy", "by-wire", "gone"]
        left = conn.execute(sa.select(o.c.key)).scalars().all()
    assert sorted(left) == ["by-sqlalchemy", "by-wire"]


def test_each_compiled_statement_renders_its_own_keys_and_converters(store: SqlStore) -> None:
    """A rendering is written out per statement and set of keys: two statements, and one
    statement given rows of two key sets, each render their own columns in parameter order
    (a later row without a key is a KeyError, as reading it always was)."""
    wire, o = _wire(store), t.outbox
    full = wire.render(o.insert(), [_row("a")])
    (one,) = full
    assert one[:3] == ("a", "work_item.offered", "pi-1")
    assert one[3] == '{"z":1,"a":[1.5,"\\u00e9",null],"m":{"b":true,"a":false}}'
    delete = o.delete().where(o.c.key == sa.bindparam("k"))
    assert wire.render(delete, [{"k": "x"}, {"k": "y"}]) == [("x",), ("y",)]
    update = o.update().where(o.c.key == sa.bindparam("k")).values(attempts=sa.bindparam("n"))
    assert wire.render(update, [{"n": 2, "k": "x"}]) == [(2, "x")]
    with pytest.raises(KeyError):
        wire.render(delete, [{"k": "x"}, {"j": "y"}])
