"""An in-memory SQLite database serves the thread that opened it (:class:`OneMemoryConnection`).

Kept apart from :mod:`~wfengine.runtime.sql.dialects`, which registers it on the engines it makes
for such URLs.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.engine import URL
from sqlalchemy.pool import SingletonThreadPool

from wfengine.errors import StoreError

#: query arguments whose value is a secret (libpq's, which psycopg passes on), in lower case
SECRET_ARGUMENTS = frozenset({"password", "sslpassword"})


def written_query(url: URL) -> str:
    """``url``'s query as the user wrote it, each secret's value (``password=``, in any case)
    shown as ``***``.

    Why written: SQLAlchemy's rendering escapes it (``***`` as ``%2A%2A%2A``, a path's slashes);
    why here: every module that shows a URL imports this one (``connect`` and the dialects).
    Why the secrets: ``render_as_string(hide_password=True)`` hides only the password before
    the ``@``, and libpq reads one from the query too (``?password=...``), which was printed in
    clear in every log line and error naming the database.
    """
    return "&".join(
        f"{key}={'***' if key.lower() in SECRET_ARGUMENTS else value}"
        for key, values in url.query.items()
        for value in ((values,) if isinstance(values, str) else values)
    )


def with_memory_pool(url: URL, given: dict[str, Any]) -> dict[str, Any]:
    """``create_engine``'s arguments ``given``, with SQLAlchemy's pool of one connection per
    thread named for an in-memory database (unless ``given`` names a pool).

    Why: SQLAlchemy picks that pool itself for ``sqlite://`` and ``:memory:``, and for a
    ``mode=memory`` URI too, but for those with a deprecation warning that a later release
    will pick its queue pool, which hands one connection to whichever thread asks next: the
    command's transaction would be shared with a reader's or a lease keeper's in another
    thread, which :class:`OneMemoryConnection` exists to refuse (it sees only connections
    opened, not connections passed on). Named here, the behaviour does not change with the
    release, and the warning is not printed to every program opening such a database.

    The URLs are the ones SQLAlchemy gives that pool today (its pysqlite dialect's test), not
    :func:`~wfengine.runtime.sql.in_memory.sqlite_in_memory`'s wider set: a
    ``file::memory:`` path without ``mode=memory`` has SQLAlchemy's queue pool, and keeps it."""
    singleton = not url.database or url.database == ":memory:" or url.query.get("mode") == "memory"
    if not singleton or "poolclass" in given or "pool" in given:
        return given
    return {**given, "poolclass": SingletonThreadPool}


def shown_url(url: URL) -> str:
    """``url`` without its secrets, for people: neither the password before the ``@`` nor
    one in the query (see :func:`written_query`).

    A SQLite file's path is shown as the user wrote it: SQLAlchemy would escape its colons
    (``sqlite:///%3Amemory%3A``, ``C%3A/data/wf.db``, ``file%3A/p/wf.db``), which reads as
    another file.
    """
    query = written_query(url)
    if url.get_backend_name() == "sqlite" and url.database:
        bare = f"{url.drivername}:///{url.database}"
    else:
        bare = url.set(query={}).render_as_string(hide_password=True)
    return bare + (f"?{query}" if query else "")


def private_memory(url: URL) -> bool:
    """Is ``url`` an in-memory SQLite database private to its connection (``sqlite://``,
    ``sqlite:///:memory:``, a ``mode=memory`` URI without ``cache=shared``)?"""
    path = url.database
    if not path or path == ":memory:":
        return True
    return url.query.get("mode") == "memory" and url.query.get("cache") != "shared"


class OneMemoryConnection:
    """Refuses a second connection to an in-memory SQLite database private to its connection.

    Why: SQLAlchemy gives each thread its own connection to such a URL, and each connection
    its own new, empty database, so an engine used from a second thread (a read, a
    ``Worker(lambda: engine)``) met a raw "no such table: process_instances". Sharing the
    one connection between threads is not safe either: a SQLite connection has one
    transaction, and a lease keeper's statement or a reader's rollback in another thread
    would run inside, or end, a command's. A connection opened again in the first thread
    (after ``close()``, or one dropped after a failure) would be a new, empty database too.
    """

    def __init__(self, url: URL) -> None:
        self._url = shown_url(url)
        self._thread: threading.Thread | None = None

    def __call__(self, _dbapi_connection: Any, _record: Any) -> None:
        here = threading.current_thread()
        opened = self._thread
        if opened is None:
            self._thread = here
            return
        where = (
            f"the connection of thread {opened.name!r}, which opened it: thread {here.name!r}"
            if opened is not here
            else "its first connection, which was closed: a new connection"
        )
        raise StoreError(
            f"{self._url}: an in-memory SQLite database lives in {where} would get a new, empty "
            "database; use an engine on it from its thread only, and give engines that "
            "serve several threads a SQLite file (sqlite:///wf.db) or the memory store "
            "(Engine())"
        )
