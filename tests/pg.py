"""A throwaway PostgreSQL server for the store tests (one per test session).

``WFENGINE_TEST_PG_URL`` names a database to use instead (the tests empty its wfengine tables).
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


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """The URL of a PostgreSQL database the tests own for the session."""
    env = os.environ.get(ENV_URL)
    if env:
        yield env
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
