"""Whether a PostgreSQL server ended the connection before a batch's COMMIT is queued.

Why: a batch goes to the server in one write with its sync (not flushed statement by
statement), so a server that went away between a command's reads and its commit showed only
after the COMMIT was queued, and the command was told that whether it was stored is unknown,
where nothing of it can be. Reading what the socket holds already (the server's FATAL message,
the connection's end) before the COMMIT is queued tells it as a flush did: each attempt rolled
back, the stored data unchanged.
"""

from __future__ import annotations

import select
from typing import Any


def ended_already(pg: Any) -> None:
    """Take in what libpq connection ``pg``'s socket holds now, never waiting: psycopg's
    ``OperationalError`` when the server ended the connection (its goodbye and its end are
    there); nothing when it is quiet, or holds an answer the batch asked for early (the
    transaction id's, read later from libpq's buffer). Why never wait: an answer that came
    is no sign of a goodbye, and a moment's wait for an end after it cost every worker's
    commit a tenth of a second."""
    fd = pg.socket
    for _ in range(4):  # (an early answer, the server's goodbye, the connection's end)
        readable, _, _ = select.select([fd], [], [], 0)
        if not readable:
            return
        pg.consume_input()  # (raises at the connection's end)
