"""The SQL store: durable execution on SQLite (a file, no server) or PostgreSQL.

``schema`` holds the tables, ``serialize`` turns instances into JSON and back, ``store`` is
:class:`SqlStore`, ``retry`` the fault policy, ``ids`` the database-backed id generator and
``migrations`` the Alembic scripts with :func:`~wfengine.runtime.sql.migrate.upgrade`.
"""

from wfengine.runtime.sql.store import SqlStore

__all__ = ["SqlStore"]
