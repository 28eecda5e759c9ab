"""Opening a database: one place that knows each dialect's connection settings.

SQLite: WAL journal (readers never block the writer), ``busy_timeout`` (a writer waits for the
lock instead of failing at once), foreign keys on, ``synchronous=NORMAL`` (durable at each
checkpoint; WAL keeps the database consistent after a crash). pysqlite's own transaction
handling is switched off and BEGIN is issued here, so a write transaction can take the write
lock at its start (``BEGIN IMMEDIATE``, asked for with the ``wf_write`` execution option): two
engines then queue for the lock rather than both reading and one failing on upgrade. A read of
one statement asks for no BEGIN at all (the ``wf_autocommit`` option): SQLite runs a lone
statement as a transaction of its own, so BEGIN and COMMIT would only cost calls.

PostgreSQL: ``postgresql+psycopg://`` (psycopg 3), READ COMMITTED (optimistic version checks
and ``FOR UPDATE SKIP LOCKED`` do the rest), connections checked before use so a restarted
server does not fail the first command.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url

#: how long (ms) a SQLite writer waits for another's lock before the store retries
SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalise_url(url: str | URL) -> URL:
    """The URL with ``postgresql://`` meaning psycopg 3 (the driver wfengine depends on)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def shown(url: str | URL) -> str:
    """The URL as it may appear in messages and logs: without its password."""
    return normalise_url(url).render_as_string(hide_password=True)


def create_engine(url: str | URL, **kwargs: Any) -> Engine:
    """A SQLAlchemy engine for the store, configured per dialect (see the module notes)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(parsed, **kwargs)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN: _sqlite_begin issues it
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    options = conn.get_execution_options()
    if options.get("wf_autocommit", False):
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("wf_write", False) else "BEGIN")
