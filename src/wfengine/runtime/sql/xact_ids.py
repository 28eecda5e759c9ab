"""PostgreSQL's transaction ids, as the store uses them to find out what became of a
transaction whose COMMIT's answer never came (:mod:`~wfengine.runtime.sql.retry`).

A write reads its own id before its COMMIT is sent (:data:`CURRENT`, or
:data:`IF_ASSIGNED` where a write that changed nothing must not be given one: an id costs a
commit record and a WAL flush); another connection later asks what became of it
(:func:`status`), and may end the server process still running it for a client that gave it
up (:func:`end_abandoned`). Servers before 13 have the same functions under their older
``txid_*`` names; each pair here is (older, 13 and later), chosen by :func:`sql_for`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

#: the first server version with the ``pg_*_xact_id`` functions
_NEW_NAMES = 130000
#: the transaction's id (one is assigned if it has none)
CURRENT = ("SELECT txid_current()", "SELECT pg_current_xact_id()")
#: ... or NULL when none was assigned (the transaction has changed nothing)
IF_ASSIGNED = ("SELECT txid_current_if_assigned()", "SELECT pg_current_xact_id_if_assigned()")
#: what became of an id: committed, aborted, in progress, or NULL (too old to know)
_STATUS = ("SELECT txid_status(%s::bigint)", "SELECT pg_xact_status(%s::text::xid8)")
#: a server process by its pid, when it still runs the transaction of that id (its low 32
#: bits: ``backend_xid`` is an ``xid``), so that a process that took the pid since is spared
_END = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE pid = %s AND backend_xid::text = %s"
)


def sql_for(raw: Any, pair: tuple[str, str]) -> str:
    """Of ``pair`` (:data:`CURRENT`, :data:`IF_ASSIGNED`), the SELECT the server of ``raw``
    (a psycopg connection) has."""
    return pair[raw.info.server_version >= _NEW_NAMES]


def status(conn: sa.Connection, xid: int) -> str | None:
    """What became of transaction ``xid``, read on ``conn`` outside a transaction:
    ``"committed"``, ``"aborted"``, ``"in progress"``, or None (the server no longer knows)."""
    sql = sql_for(conn.connection.dbapi_connection, _STATUS)
    found: str | None = conn.exec_driver_sql(sql, (str(xid),)).scalar()
    return found


def end_abandoned(conn: sa.Connection, xid: int, pid: int) -> bool:
    """End server process ``pid`` if it still runs transaction ``xid``; whether it was told."""
    return bool(conn.exec_driver_sql(_END, (pid, str(xid % 2**32))).scalar())
