"""The SQL store: durable execution on SQLite (a file, no server) or PostgreSQL.

:class:`SqlStore` (``store``) is assembled from modules named for what they hold: ``dialects``
(what differs between SQLite and PostgreSQL), ``connect`` (URLs, opening engines),
``database`` (reads, write transactions, the unit's connection, retries by ``retry``),
``unit`` (the unit of work: identity map and row versions), ``rows`` (records <-> rows),
``serialize`` and ``document_format`` (instances <-> their versioned JSON document),
``deployments`` and ``job_queue`` (those tables), ``commit`` (a step in one transaction),
``ids`` (the database-backed id generator), ``schema`` (the tables) and ``migrate`` with
``migrations`` (the Alembic scripts).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wfengine.runtime.sql.store import SqlStore

__all__ = ["SqlStore"]


def __getattr__(name: str) -> Any:
    """``SqlStore`` on first use: the memory store reads instance documents with
    ``serialize``, and importing the package for it must not import SQLAlchemy."""
    if name == "SqlStore":
        from wfengine.runtime.sql.store import SqlStore

        return SqlStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
