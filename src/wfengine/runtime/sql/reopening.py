"""How a :class:`~wfengine.runtime.sql.store.SqlStore` closes and opens again.

Why a store opens again: several engines may share one store (README's PgBouncer form,
``Worker(lambda: Engine(store=shared))``), and it is closed when the last of them closes
(:mod:`wfengine.runtime.store_users`). An engine built on it after that (a worker thread
started later, a host that closed its engines and makes new ones) opens it again here, on a
new connection pool: closed, its database refused every read with "open a new Engine on it",
and a new Engine was refused the same way. An in-memory SQLite database cannot open again
(its data went with its connection): that is refused, saying to build a new ``SqlStore``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL

from wfengine.errors import IllegalStateError
from wfengine.runtime.outbox_store import OutboxBackend
from wfengine.runtime.sql.database import Database
from wfengine.runtime.sql.deployments import Deployments
from wfengine.runtime.sql.dialects import Dialect
from wfengine.runtime.sql.in_memory import sqlite_in_memory
from wfengine.runtime.sql.job_queue import JobQueue
from wfengine.runtime.sql.outbox_queue import OutboxQueue
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.unit import ThreadUnits, UnitOfWork


class Reopening:
    """The parts of a SQL store made on its database connection (opened by :meth:`_open`,
    again by :meth:`reopen` after :meth:`close`)."""

    url: URL
    sa_engine: sa.Engine
    retry: RetryPolicy
    _what: str
    #: each thread's unit of work and last claim (engines in several threads share a store)
    _threads: ThreadUnits
    _dialect: Dialect
    _db: Database
    _deployments: Deployments
    _jobs: JobQueue
    _outbox: OutboxBackend  # (StoreOutbox's)
    #: :meth:`close` was called and nothing opened the store again since
    _shut = False

    def _open(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._threads = ThreadUnits()
        self._db = Database(self.sa_engine, dialect, self._threads, self.retry, self._what)
        self._deployments = Deployments(self._db)
        self._jobs = JobQueue(self._db)
        self._outbox = OutboxQueue(self._db)
        self._shut = False

    @property
    def _unit(self) -> UnitOfWork:
        """The calling thread's unit of work: each thread's command has its own identity map
        and connection, as on a store of its own (:class:`~wfengine.runtime.sql.unit.
        ThreadUnits`)."""
        return self._threads.unit

    @property
    def _claimed(self) -> dict[str, dict[str, Any]]:
        """The calling thread's last claim's jobs, each with its instance's row, by job id
        (see ``SqlStore.claim_jobs``)."""
        return self._threads.claimed

    def close(self) -> None:
        """Release the connections; reads and writes are refused until :meth:`reopen` (what
        an :class:`~wfengine.runtime.engine.Engine` built on the store calls)."""
        self._shut = True
        self._db.dispose()

    def reopen(self) -> None:
        """Open the store again after :meth:`close`, on new connections (nothing when it is
        open). An in-memory SQLite database is refused: its data went with its connection."""
        if not self._shut:
            return
        if sqlite_in_memory(self.url):
            raise IllegalStateError(
                f"database {self._what}",
                "closed (engine.close()), and an in-memory SQLite database's data went with "
                "its connection: build a new SqlStore",
                "open again",
            )
        self._open(self._dialect)
