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
  steady work keeps (about 16 MB, checkpointed every 4,000 pages: below), so the file is not
  cut and grown again in the common case;
* ``wal_autocheckpoint`` (:data:`WAL_CHECKPOINT_PAGES`): the COMMIT that takes the WAL past
  4,000 pages (16 MB) copies it into the database and syncs both files, where SQLite's
  default does so every 1,000 pages. A checkpoint's cost is mostly its two fsyncs and the
  pages it copies; a command rewrites the same hot pages (the right edge of each index, the
  instances it touches), so a longer log copies each of them once for four times as many
  commands. Measured on the manual workload (SQLite W4, 4,000 commands, six interleaved runs):
  667 -> 603 us a command (median wall time), CPU unchanged. 4,000 stays within one of the
  WAL index's hash tables (4,096 frames each), so a reader's page lookup costs what it did.
  The price: after a power loss (not a process crash: WAL commits survive those at once) up to
  16 MB of the last commits may be lost, as ``synchronous=NORMAL`` already allows for its 4 MB,
  and the WAL file is kept at ~16 MB, far below :data:`WAL_SIZE_LIMIT`;
* pysqlite's own transaction handling off: BEGIN is issued by the dialect's ``transaction``.
"""

from __future__ import annotations

from typing import Any

#: how long (ms) a SQLite writer waits for another's lock before the store retries
SQLITE_BUSY_TIMEOUT_MS = 10_000

#: the size (bytes) a SQLite database's WAL file is cut back to when the log starts over
WAL_SIZE_LIMIT = 64 * 1024 * 1024

#: the WAL's length (pages) at which a COMMIT checkpoints it (SQLite's default: 1,000)
WAL_CHECKPOINT_PAGES = 4_000


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
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    finally:
        cursor.close()
