"""A PostgreSQL database for the benchmarks: a scratch database on a server, dropped after.

The server is ``WFENGINE_BENCH_PG_URL`` when set (any database on it; the benchmark creates
and drops a database of its own there, so it needs the CREATEDB right and never touches the
named one), else a throwaway server started with the test suite's helpers (``tests/pg.py``:
PostgreSQL's ``initdb``/``pg_ctl``, as the ``postgres`` user when run as root). Without
either, or when the server cannot be reached, refuses the login or the CREATE DATABASE, the
PostgreSQL figures are left out and the reason printed (the URL without its password): the
figures of the other stores, measured before, are kept.
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

from wfengine import StoreError
from wfengine.runtime.sql.connect import create_engine, normalise_url, shown

ENV_URL = "WFENGINE_BENCH_PG_URL"
REPO_ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def postgres_database() -> Iterator[str | None]:
    """The URL of a scratch database to benchmark on, or None (with the reason on stderr).

    Why one context for both steps: a server that is named but unusable is reported like a
    missing one, so a benchmark leaves PostgreSQL out instead of losing its run to a traceback.
    """
    with postgres_server() as server:
        if server is None:
            yield None
            return
        given = os.environ.get(ENV_URL) == server
        with scratch_database(server, f"${ENV_URL}" if given else "the throwaway server") as url:
            yield url


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
def scratch_database(server_url: str, source: str = "the server") -> Iterator[str | None]:
    """A new, empty database on the server of ``server_url``; dropped afterwards.

    None (the reason on stderr, naming ``source``) when the URL cannot be read, the server
    cannot be reached or refuses the login, or the database cannot be created (no CREATEDB).
    """
    try:
        url = normalise_url(server_url)
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
    except (sa.exc.SQLAlchemyError, StoreError) as exc:
        _left_out(source, None, exc)
        yield None
        return
    name = f"wfengine_bench_{uuid.uuid4().hex[:12]}"
    try:
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        except sa.exc.SQLAlchemyError as exc:
            _left_out(source, shown(url), exc)
            yield None
            return
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _left_out(source: str, url: str | None, exc: Exception) -> None:
    """Say why PostgreSQL is left out: the driver's own words (not SQLAlchemy's wrapping with
    the statement and a link), on one line, after the URL without its password."""
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
    where = f"{url}: " if url else ""
    print(f"PostgreSQL: cannot use {source} ({where}{reason}): left out", file=sys.stderr)
