"""A benchmark given an unusable PostgreSQL server keeps its SQLite row and says why.

Nothing is timed: the scripts run with tiny sizes and only their output is read.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid

import sqlalchemy as sa

from tests.conftest import REPO_ROOT
from wfengine.runtime.sql.connect import create_engine, normalise_url


def _refusing_url() -> str:
    """A URL whose port nothing listens on (bound and released: the refusal is certain)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"postgresql://bench:s3cret@127.0.0.1:{port}/postgres"


def _worklist_bench(pg_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "bench" / "worklist.py"),
            *("--items", "100", "--users", "20"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "WFENGINE_BENCH_PG_URL": pg_url},
    )


def test_worklist_bench_prints_sqlite_row_and_leaves_out_refusing_postgres() -> None:
    result = _worklist_bench(_refusing_url())
    assert result.returncode == 0, result.stderr
    assert "store=sqlite" in result.stdout and "open_items=100" in result.stdout
    assert "store=postgresql" not in result.stdout
    assert "PostgreSQL: cannot use $WFENGINE_BENCH_PG_URL (" in result.stderr
    assert "left out" in result.stderr and "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr + result.stdout


def test_worklist_bench_leaves_out_postgres_without_createdb(pg_server_url: str) -> None:
    role = f"bench_nocreatedb_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE ROLE {role} LOGIN PASSWORD 's3cret' NOCREATEDB"))
        url = normalise_url(pg_server_url).set(username=role, password="s3cret")
        result = _worklist_bench(url.render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()
    assert result.returncode == 0, result.stderr
    assert "store=sqlite" in result.stdout and "store=postgresql" not in result.stdout
    assert "PostgreSQL: cannot use $WFENGINE_BENCH_PG_URL (" in result.stderr
    assert "permission denied to create database" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout
