"""A server that ended the connection is found before a batch's COMMIT is queued
(``wfengine.runtime.sql.server_gone``): the command is then told its attempts were rolled
back, not that whether it was stored is unknown (its batch is not flushed statement by
statement, so nothing else would have read the socket before the COMMIT)."""

from __future__ import annotations

import select

import psycopg
import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, StoreUnavailableError
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.server_gone import ended_already
from wfengine.runtime.sql.store import SqlStore

#: one attempt: the first failure is the command's
ONCE = RetryPolicy(attempts=1)


def _connect(pg_url: str) -> psycopg.Connection:
    url = sa.engine.make_url(pg_url).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def test_a_quiet_connection_reads_nothing(pg_url: str) -> None:
    with _connect(pg_url) as conn:
        ended_already(conn.pgconn)  # nothing waits: returns at once
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_a_connection_the_server_ended_fails_before_the_commit(pg_url: str) -> None:
    with _connect(pg_url) as conn, _connect(pg_url) as admin:
        # (waits until the server process has ended: its goodbye and its end are sent)
        admin.execute("SELECT pg_terminate_backend(%s, 30000)", (conn.info.backend_pid,))
        readable, _, _ = select.select([conn.pgconn.socket], [], [], 30)
        assert readable
        with pytest.raises(psycopg.OperationalError):
            ended_already(conn.pgconn)


def test_a_command_whose_server_went_away_before_its_commit_says_nothing_was_stored(
    pg_url: str,
) -> None:
    """The application the command calls ends the engine's connection: the command's one
    attempt meets a server that went away before its COMMIT was queued, and says that
    nothing of it was stored (as a server that is down for good makes every attempt say)."""
    with _connect(pg_url) as admin:

        def cut() -> None:
            gone = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            ).fetchall()
            for (pid,) in gone:
                admin.execute("SELECT pg_terminate_backend(%s, 30000)", (pid,))  # (waits)

        pb = PackageBuilder("pkg")
        pb.application("cut")
        pb.process("p").activity("a", tool="cut")
        with Engine(store=SqlStore(pg_url, retry=ONCE)) as engine:
            engine.applications.register("cut", cut)
            engine.deploy(pb.build())
            with pytest.raises(StoreUnavailableError) as caught:
                engine.start_process("p")
            assert "each attempt was rolled back, stored data is unchanged" in str(caught.value)
            assert engine.instances() == []


def test_an_answer_that_came_early_is_taken_in_without_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A commit's batch asks for its transaction id's answer before the COMMIT: that answer
    on the socket is no goodbye, and nothing waits for one after it (a wait of a tenth of a
    second there slowed every worker's commit)."""
    import socket

    from wfengine.runtime.sql import server_gone

    ours, server = socket.socketpair()
    server.sendall(b"an early answer")
    waits: list[float] = []
    real = select.select

    def watched(r: list[int], w: list[int], x: list[int], timeout: float) -> object:
        waits.append(timeout)
        return real(r, w, x, timeout)

    class _Conn:
        socket = ours.fileno()

        def consume_input(self) -> None:
            ours.recv(1024)

    monkeypatch.setattr(select, "select", watched)
    try:
        server_gone.ended_already(_Conn())
    finally:
        ours.close()
        server.close()
    assert waits and all(w == 0 for w in waits)
