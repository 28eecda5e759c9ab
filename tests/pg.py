"""A throwaway PostgreSQL server for the store tests (one per test session).

``WFENGINE_TEST_PG_URL`` names a database to use instead (the tests empty its wfengine tables);
when pytest-xdist runs the tests in several processes, each uses a database of its own on that
server, named after it with the xdist worker's name appended (``wfengine_test_gw0``; created if
missing), so one process's emptying never meets another's test.
Otherwise the server binaries (``initdb``, ``pg_ctl``: PostgreSQL's own directory or PATH)
start a private cluster in a temporary directory on a free port, with durability switched off
(it is thrown away), as the ``postgres`` user when the tests run as root (PostgreSQL refuses
root). Without binaries the PostgreSQL tests skip with the reason, except under ``CI=true``,
where they fail: CI must exercise every store.

Each test gets the same database with every table emptied (``pg_url``), which is much faster
than creating a database per test.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

ENV_URL = "WFENGINE_TEST_PG_URL"


def server_bindir() -> Path | None:
    """Where initdb and pg_ctl are (PostgreSQL's own directory, else PATH), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)", pytrace=False)
    pytest.skip(reason)


class ThrowawayServer:
    """initdb + pg_ctl in a temporary directory; ``url`` is the ``postgres`` database.

    Also used by ``bench/run.py`` for its PostgreSQL figures.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="wfengine-pg-"))
        self.data = self.root / "data"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _own_database(url: str, worker: str) -> str:
    """The URL of the xdist ``worker``'s database beside ``url``'s (its name with ``_gw0``
    appended), created if missing."""
    parsed = sa.make_url(url)
    name = f"{parsed.database or 'postgres'}_{worker}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """The URL of a PostgreSQL database the tests own for the session."""
    env = os.environ.get(ENV_URL)
    if env:
        xdist_worker = os.environ.get("PYTEST_XDIST_WORKER")
        yield _own_database(env, xdist_worker) if xdist_worker else env
        return
    bindir = server_bindir()
    if bindir is None:
        _missing(f"PostgreSQL server binaries (initdb, pg_ctl) not found; set {ENV_URL}")
    assert bindir is not None
    server = ThrowawayServer(bindir)
    try:
        server.start()
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        server.stop()
        _missing(f"could not start a throwaway PostgreSQL server: {exc} {detail.decode()[-500:]}")
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server_url: str) -> str:
    """The session's database with every wfengine table emptied."""
    from wfengine.runtime.sql import schema
    from wfengine.runtime.sql.connect import create_engine

    engine = create_engine(pg_server_url)
    try:
        with engine.begin() as conn:
            if sa.inspect(conn).has_table("process_instances"):
                names = ", ".join(t.name for t in schema.TABLES)
                conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        engine.dispose()
    return pg_server_url
