"""The settings every SQLite connection of a store is opened with (:func:`sqlite_connect`,
listened to on connect by :class:`~wfengine.runtime.sql.dialects.SqliteDialect`), and why each:

* WAL journal: readers never block the writer;
* ``busy_timeout`` (:data:`SQLITE_BUSY_TIMEOUT_MS`): a writer waits for the lock instead of
  failing at once;
* foreign keys on;
* ``synchronous=NORMAL``: durable at each checkpoint; WAL keeps the database consistent after
  a crash;
* ``journal_size_limit`` (:data:`WAL_SIZE_LIMIT`): the WAL file is cut back to it when the log
  starts over. Without it the file kept whatever size it once reached: a reader holding a
  snapshot for long, or two processes writing at once, let it grow (87 MB and 41-54 MB,
  measured), and that disk was never given back. The limit is far above what one engine's
  steady work keeps (about 4 MB, checkpointed every 1,000 pages), so the file is not cut and
  grown again in the common case;
* pysqlite's own transaction handling off: BEGIN is issued by the dialect's ``transaction``.
"""

from __future__ import annotations

from typing import Any

#: how long (ms) a SQLite writer waits for another's lock before the store retries
SQLITE_BUSY_TIMEOUT_MS = 10_000

#: the size (bytes) a SQLite database's WAL file is cut back to when the log starts over
WAL_SIZE_LIMIT = 64 * 1024 * 1024


def sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Apply the settings above to a new connection (a pool ``connect`` event)."""
    dbapi_connection.isolation_level = None  # no implicit BEGIN: the dialect issues it
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
    finally:
        cursor.close()
