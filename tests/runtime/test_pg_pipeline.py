"""A PostgreSQL commit's batch, sent on libpq's pipeline by wfengine itself
(``wfengine.runtime.sql.pipeline``): all or nothing, errors as SQLAlchemy's, statements
prepared once per connection (and again when psycopg dropped them), any size, and the
cursor's way whenever someone watches the statements."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.dialects import Dialect, dialect_for
from wfengine.runtime.sql.retry import is_transient
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.sql.wire import Wire

WHEN = datetime(2027, 1, 4, 9, 30, 15, 123456, tzinfo=UTC)


def _dialect(pg_sa: sa.Engine) -> Dialect:
    found = dialect_for(pg_sa.url)
    assert found is not None
    return found


def _outbox(key: str) -> dict[str, Any]:
    return {
        "key": key,
        "kind": "instance.started",
        "instance_id": "pi-1",
        "payload": {"n": key},
        "created_at": WHEN,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": None,
    }


def _block(kind: str) -> dict[str, Any]:
    return {"kind": kind, "next_value": 1}


def _write(pg_sa: sa.Engine, *batches: tuple[sa.Insert, list[dict[str, Any]]]) -> None:
    """One commit's transaction, as the store writes it: each statement's rows in one
    batch."""
    dialect = _dialect(pg_sa)
    wire = Wire(dialect, pg_sa.dialect)
    with (
        pg_sa.connect() as conn,
        dialect.transaction(conn, batched=True),
        dialect.batched(conn) as run,
    ):
        for statement, rows in batches:
            wire.many(run, statement, rows)


def _count(pg_sa: sa.Engine, table: sa.Table) -> int:
    with pg_sa.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _ours_prepared(conn: sa.Connection) -> list[str]:
    found = conn.exec_driver_sql(
        "SELECT statement FROM pg_prepared_statements WHERE name LIKE 'wfengine%%'"
    )
    return sorted(found.scalars())


def test_a_batch_of_any_size_commits_without_stalling(pg_sa: sa.Engine) -> None:
    """Megabytes of rows going out while their answers come back, far more than the sockets
    buffer (libpq reads while it cannot write; the batch waits for either)."""
    rows = [_outbox(f"k{i:06d}") for i in range(40_000)]
    _write(pg_sa, (t.outbox.insert(), rows))
    assert _count(pg_sa, t.outbox) == 40_000


def test_a_refused_statement_keeps_nothing_and_is_named_in_sqlalchemys_error(
    pg_sa: sa.Engine,
) -> None:
    _write(pg_sa, (t.id_blocks.insert(), [_block("kept")]))
    with pytest.raises(sa.exc.IntegrityError) as caught:
        _write(
            pg_sa,
            (t.outbox.insert(), [_outbox("a"), _outbox("b")]),
            (t.id_blocks.insert(), [_block("new"), _block("kept"), _block("after")]),
        )
    assert "INSERT INTO id_blocks" in str(caught.value)
    assert caught.value.params == ("kept", 1)  # the row refused
    assert not caught.value.connection_invalidated  # a clean failure: the connection stays
    assert _count(pg_sa, t.outbox) == 0  # the batch's earlier rows went with it
    with pg_sa.connect() as conn:
        blocks = conn.execute(sa.select(t.id_blocks.c.kind)).scalars().all()
    assert blocks == ["kept"]
    _write(pg_sa, (t.outbox.insert(), [_outbox("c")]))  # the next batch runs as usual
    assert _count(pg_sa, t.outbox) == 1


def test_statements_are_prepared_once_per_connection(pg_sa: sa.Engine) -> None:
    """The batch's statements, its BEGIN and the SELECT of its transaction's id (its COMMIT
    goes unnamed: the tests' proxies cut a connection at it)."""
    for key in ("a", "b", "c"):
        _write(pg_sa, (t.outbox.insert(), [_outbox(key), _outbox(key + "2")]))
    with pg_sa.connect() as conn:  # the pool's one connection: the batches ran on it
        prepared = _ours_prepared(conn)
    assert len(prepared) == 3
    begin, insert, xid = prepared
    assert begin == "BEGIN" and insert.startswith("INSERT INTO outbox")
    assert xid.startswith("SELECT ") and ("xact_id" in xid or "txid" in xid)
    assert _count(pg_sa, t.outbox) == 6


def test_statements_psycopg_dropped_are_prepared_again_and_nothing_is_written_twice(
    pg_sa: sa.Engine,
) -> None:
    """psycopg deallocates every prepared statement of its connection when it rolls back a
    transaction (after it prepared some of its own): the next batch meets a statement the
    server no longer knows, and sends itself once more, prepared again, including the
    statement it had just prepared before that failure (under a new name)."""
    _write(pg_sa, (t.outbox.insert(), [_outbox("a")]))
    with pg_sa.connect() as conn:
        conn.exec_driver_sql("DEALLOCATE ALL")
        assert _ours_prepared(conn) == []
    _write(pg_sa, (t.id_blocks.insert(), [_block("x")]), (t.outbox.insert(), [_outbox("b")]))
    with pg_sa.connect() as conn:
        kept = _ours_prepared(conn)
    _write(pg_sa, (t.id_blocks.insert(), [_block("y")]), (t.outbox.insert(), [_outbox("c")]))
    with pg_sa.connect() as conn:
        keys = conn.execute(sa.select(t.outbox.c.key).order_by(t.outbox.c.id)).scalars()
        assert list(keys) == ["a", "b", "c"]
        kinds = conn.execute(sa.select(t.id_blocks.c.kind).order_by(t.id_blocks.c.kind))
        assert list(kinds.scalars()) == ["x", "y"]
        assert _ours_prepared(conn) == kept  # the third batch found both prepared


def test_a_connection_that_must_not_prepare_sends_every_statement_unnamed(pg_url: str) -> None:
    """psycopg's ``prepare_threshold=None`` (for PgBouncer in transaction mode, where the next
    transaction may run on a server connection that never saw the name): the batches and the
    reads prepare nothing, and do what they do otherwise."""
    from wfengine import Engine, PackageBuilder

    options = {"connect_args": {"prepare_threshold": None}, "poolclass": sa.pool.StaticPool}
    store = SqlStore(pg_url, engine_options=options)
    with Engine(store=store) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk").activity("done").transition(
            "quote", "done"
        )
        e.deploy(pb.build())
        for _ in range(3):  # more than psycopg's own threshold (5 runs of a statement)
            iid = e.start_process("p")
            e.complete_work_item(e.work_items(iid)[0].id)
            assert e.instance(iid).state.value == "closed.completed"

        def prepared(conn: sa.Connection) -> list[str]:
            found = conn.exec_driver_sql("SELECT name FROM pg_prepared_statements")
            return list(found.scalars())

        assert store.transaction(prepared, write=False) == []  # the one connection they ran on


def test_watched_statements_go_through_psycopgs_cursors(pg_url: str) -> None:
    """A host's statement log (a cursor-event listener) sees every statement of a commit;
    nothing is prepared by wfengine then."""
    SqlStore(pg_url).close()
    pg_sa = create_engine(pg_url)
    seen: list[str] = []
    sa.event.listen(pg_sa, "before_cursor_execute", lambda *a: seen.append(a[2]))
    try:
        _write(pg_sa, (t.outbox.insert(), [_outbox("a"), _outbox("b")]))
        assert [s for s in seen if s.startswith("INSERT INTO outbox")]
        with pg_sa.connect() as conn:
            assert _ours_prepared(conn) == []
        assert _count(pg_sa, t.outbox) == 2
    finally:
        pg_sa.dispose()


def test_a_batch_left_in_the_middle_drops_its_connection(pg_sa: sa.Engine) -> None:
    """An error raised while the batch is being made leaves answers unread: that connection
    is never used again, and nothing of the batch is kept."""
    dialect = _dialect(pg_sa)
    wire = Wire(dialect, pg_sa.dialect)
    with pg_sa.connect() as conn:
        with (
            pytest.raises(RuntimeError, match="made up"),
            dialect.transaction(conn, batched=True),
            dialect.batched(conn) as run,
        ):
            wire.many(run, t.outbox.insert(), [_outbox("a")])
            raise RuntimeError("made up")
        assert conn.invalidated
    assert _count(pg_sa, t.outbox) == 0
    _write(pg_sa, (t.outbox.insert(), [_outbox("b")]))
    assert _count(pg_sa, t.outbox) == 1


def test_a_connection_the_server_drops_mid_batch_is_a_transient_error(
    pg_sa: sa.Engine,
) -> None:
    dialect = _dialect(pg_sa)
    wire = Wire(dialect, pg_sa.dialect)
    with pg_sa.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        conn.commit()
        with (
            pytest.raises(sa.exc.OperationalError) as caught,
            dialect.transaction(conn, batched=True),
            dialect.batched(conn) as run,
        ):
            wire.many(run, t.outbox.insert(), [_outbox("a")])
            with pg_sa.connect() as admin:
                admin.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
                admin.commit()
    assert caught.value.connection_invalidated
    assert is_transient(caught.value)  # the retry policy runs the transaction again
    assert _count(pg_sa, t.outbox) == 0


def test_a_read_runs_on_libpq_and_finds_its_statement_again_after_psycopg_dropped_it(
    pg_sa: sa.Engine,
) -> None:
    """The store's reads (one statement in autocommit) go the same way: prepared once, each
    value as psycopg's cursor loads it, and sent again when the statement was lost."""
    _write(pg_sa, (t.outbox.insert(), [_outbox("a"), _outbox("b")]))
    dialect = _dialect(pg_sa)
    sql = (
        "SELECT key, payload, created_at, next_attempt_at FROM outbox WHERE key >= %s ORDER BY key"
    )
    with pg_sa.connect() as conn:
        with dialect.reading(conn):
            rows, codes = dialect.fetch(conn, sql, ("a",))
            conn.exec_driver_sql("DEALLOCATE ALL")
            again, _ = dialect.fetch(conn, sql, ("b",))
            cursor = conn.connection.dbapi_connection.cursor()
            cursor.execute(sql, ("a",))
            theirs, their_codes = cursor.fetchall(), [c[1] for c in cursor.description]
        assert len(_ours_prepared(conn)) == 1
    assert rows == theirs and codes == their_codes
    assert rows[0] == ("a", {"n": "a"}, WHEN, None)  # JSON and times loaded by psycopg
    assert again == theirs[1:]


def _end_after_answers(monkeypatch: pytest.MonkeyPatch, engine_url: str, *, commits: bool) -> None:
    """The server ends the connection of the next batch (with a COMMIT, or without) once it
    has run every statement of it and before the batch's sync: as an administrator's
    ``pg_terminate_backend`` or a fast shutdown does in the moment after a COMMIT."""
    from wfengine.runtime.sql.pipeline import Batch

    real = Batch._read
    armed = [True]

    def read(batch: Batch) -> None:
        if armed[0] and batch._commits is commits:
            armed[0] = False
            pg = batch._pg
            while pg.flush():  # every statement is at the server, which runs it at once
                pass
            admin = create_engine(engine_url)
            try:
                with admin.connect() as conn:
                    for _ in range(500):  # the COMMIT has run when its rows show
                        if (
                            not commits
                            or conn.exec_driver_sql(
                                "SELECT count(*) FROM process_instances"
                            ).scalar_one()
                        ):
                            break
                        conn.commit()
                        time.sleep(0.01)
                    conn.exec_driver_sql(f"SELECT pg_terminate_backend({pg.backend_pid}, 5000)")
                    conn.commit()
            finally:
                admin.dispose()
        real(batch)

    monkeypatch.setattr(Batch, "_read", read)


def test_a_connection_ended_after_its_commit_was_answered_keeps_the_commit_once(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit went through: the command returns, and is not run a second time (running
    the start again would store a second instance)."""
    pb = PackageBuilder("pkg")
    pb.process("desk").activity("answer", performer="clerk")
    with Engine(store=SqlStore(pg_url)) as e:
        e.deploy(pb.build())
        _end_after_answers(monkeypatch, pg_url, commits=True)
        iid = e.start_process("desk")
        assert [s.id for s in e.instance_summaries()] == [iid]
        (item,) = e.work_items(iid)  # the engine carries on, on a new connection
        e.complete_work_item(item.id)
        assert e.instance(iid).state is ProcessState.COMPLETED


def test_a_read_whose_connection_ended_after_its_answer_is_read_again(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pb = PackageBuilder("pkg")
    pb.process("desk").activity("answer", performer="clerk")
    with Engine(store=SqlStore(pg_url)) as e:
        e.deploy(pb.build())
        iid = e.start_process("desk")
        _end_after_answers(monkeypatch, pg_url, commits=False)
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id)
        assert e.instance(iid).state is ProcessState.COMPLETED
