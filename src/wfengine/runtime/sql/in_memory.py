"""Whether a database URL names a database that lives only in memory.

Why a predicate of its own: such a database is new and empty for each program (each
``wfengine`` command) that opens it and gone when that program ends, so advice to run another
command on it (``wfengine db upgrade --db URL``) cannot help, and a command line that stores
work in it loses that work. The command line refuses such URLs; the migration messages leave
out advice they could not follow. (:func:`~wfengine.runtime.sql.sqlite_memory.private_memory`
answers a narrower question: whether a second *connection* in one program sees another
database.)
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

#: the engine's in-memory store (see :meth:`wfengine.runtime.engine.Engine.from_url`)
MEMORY_SCHEMES = ("memory",)


def sqlite_in_memory(url: URL) -> bool:
    """Is ``url`` an in-memory SQLite database (``sqlite://``, ``sqlite:///:memory:``,
    ``file::memory:``, a ``mode=memory`` URI, shared cache or not)?"""
    if url.get_backend_name() != "sqlite":
        return False
    path = url.database or ""
    return (
        not path
        or path == ":memory:"
        or path.startswith("file::memory:")
        or "mode=memory" in path
        or url.query.get("mode") == "memory"
    )


def in_memory(url: str) -> bool:
    """Is ``url`` (as a user wrote it) the engine's memory store (``memory://``) or an
    in-memory SQLite database? A URL that does not read is not: opening it says why.
    (SQLAlchemy raises ``ValueError`` for a port that is not a number, ``host:notaport``.)"""
    if url.partition(":")[0].lower() in MEMORY_SCHEMES:
        return True
    try:
        return sqlite_in_memory(make_url(url))
    except (ArgumentError, ValueError):
        return False
