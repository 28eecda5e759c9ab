"""A PostgreSQL database for the benchmarks: a scratch database on a server, dropped after.

The server is ``WFENGINE_BENCH_PG_URL`` when set (any database on it; the benchmark creates
and drops a database of its own there, so it needs the CREATEDB right and never touches the
named one), else a throwaway server started with the test suite's helpers (``tests/pg.py``:
PostgreSQL's ``initdb``/``pg_ctl``, as the ``postgres`` user when run as root). Without
either, the PostgreSQL figures are left out and the reason printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from wfengine.runtime.sql.connect import create_engine, normalise_url

ENV_URL = "WFENGINE_BENCH_PG_URL"
REPO_ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def postgres_server() -> Iterator[str | None]:
    """The URL of a server to benchmark on, or None (with the reason on stderr)."""
    given = os.environ.get(ENV_URL)
    if given:
        yield given
        return
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from tests.pg import ThrowawayServer, server_bindir

    bindir = server_bindir()
    if bindir is None:
        print(f"PostgreSQL: no initdb/pg_ctl and no ${ENV_URL}: left out", file=sys.stderr)
        yield None
        return
    server = ThrowawayServer(bindir)
    try:
        server.start()
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"PostgreSQL: could not start a throwaway server ({exc}): left out", file=sys.stderr)
        server.stop()
        yield None
        return
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``; dropped afterwards."""
    url = normalise_url(server_url)
    name = f"wfengine_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
