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
        admin.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
        # the server's goodbye reaches the socket (waited for, not slept on)
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
