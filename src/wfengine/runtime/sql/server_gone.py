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
    """Take in what libpq connection ``pg``'s socket holds now, without waiting: psycopg's
    ``OperationalError`` when the server ended the connection; nothing when it is quiet
    (the batch's statements are not flushed yet, so no answer can be waiting). Something
    that came unasked is the server's goodbye (its FATAL message), whose end of the
    connection follows at once: waited for a moment then, not otherwise."""
    fd = pg.socket
    wait = 0.0
    for _ in range(4):
        readable, _, _ = select.select([fd], [], [], wait)
        if not readable:
            return
        pg.consume_input()  # (raises at the connection's end)
        wait = _GOODBYE


#: how long the end of a connection may follow the server's goodbye (s)
_GOODBYE = 0.1
