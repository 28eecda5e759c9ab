"""An INSERT of one row as the same INSERT of several, for a PostgreSQL batch
(:mod:`~wfengine.runtime.sql.pipeline`).

Why: a commit inserts several rows into one table (W4: six audit events, two activities, two
outbox entries a command), and each statement costs the server its start, bind, end and answer
and the client a conversion and a queued request, whatever its rows; one statement of the
rows pays those once. The rows' values are the same parameters in the same order, so psycopg
converts each as before; only the SQL text repeats the row's parenthesised group.
"""

from __future__ import annotations

from collections.abc import Callable

#: the most rows one INSERT of a batch takes (a statement is prepared per number of rows)
MAX_ROWS = 32
#: SQLSTATE classes of a failure the rows themselves cause: 21 cardinality (an upsert's two
#: rows of one key), 22 data exception, 23 integrity constraint (see :func:`rows_refused`)
_ROWS_OWN = frozenset({"21", "22", "23"})
#: number of rows -> where each statement's rows start and how many it takes (:func:`pieces`)
_PIECES: dict[int, tuple[tuple[int, int], ...]] = {}


def pieces(count: int) -> tuple[tuple[int, int], ...]:
    """How ``count`` rows of one INSERT go: (first row, rows) per statement, :data:`MAX_ROWS`
    at a time and the rest in powers of two, largest first (7 rows: 4, 2 and 1). Why powers
    of two: a connection prepares each number of rows as a statement of its own, and the
    server keeps each (some 180 KB a statement in a backend); every count from 1 to 32 of
    thirteen tables' INSERTs came to some 75 MB a connection, at most six counts a table to
    some 14 MB."""
    found = _PIECES.get(count)
    if found is None:
        made, start, size = [], 0, MAX_ROWS
        while start < count:
            while size > count - start:
                size //= 2
            made.append((start, size))
            start += size
        found = _PIECES[count] = tuple(made)
    return found


def rows_refused(error: BaseException) -> bool:
    """Whether ``error``, a statement of several rows failing, is the rows' own doing (a
    value or a constraint), which the same rows one per statement would show row by row.
    Why not any failure: a lock timeout, a cancel, a deadlock or a serialization failure is
    the statement's, not a row's; sent again, it waited (or deadlocked) a second time, and a
    second wait that happened to succeed turned a timeout into success."""
    state = getattr(error, "sqlstate", None)
    return isinstance(state, str) and state[:2] in _ROWS_OWN


#: an INSERT's SQL -> its multi-row form (rows -> SQL), None for other statements
_GROUPED: dict[str, Callable[[int], str] | None] = {}


def grouped(sql: str) -> Callable[[int], str] | None:
    """For ``sql``, an ``INSERT ... VALUES (...)`` of one row (an upsert's ``ON CONFLICT``
    clause after it), the same statement of ``n`` rows: ``grouped(sql)(n)``; None for any
    other statement (one with ``RETURNING`` too: its rows would be answered together; one
    with a quoted literal, whose parentheses are not the row's). Worked out once per SQL
    text."""
    if sql in _GROUPED:
        return _GROUPED[sql]
    made: Callable[[int], str] | None = None
    head, values, rest = sql.partition(" VALUES (")
    if sql.startswith("INSERT INTO ") and values and " RETURNING " not in rest and "'" not in sql:
        depth = 1
        for end, char in enumerate(rest):  # the closing parenthesis of the row
            depth += (char == "(") - (char == ")")
            if depth == 0:
                made = _Rows(f"{head} VALUES ", f"({rest[: end + 1]}", rest[end + 1 :])
                break
    _GROUPED[sql] = made
    return made


class _Rows:
    """An INSERT of ``n`` rows: ``head``, ``n`` times the row's ``group``, ``tail``."""

    __slots__ = ("group", "head", "made", "tail")

    def __init__(self, head: str, group: str, tail: str) -> None:
        self.head, self.group, self.tail = head, group, tail
        self.made: dict[int, str] = {}

    def __call__(self, n: int) -> str:
        sql = self.made.get(n)
        if sql is None:
            sql = self.made[n] = f"{self.head}{', '.join([self.group] * n)}{self.tail}"
        return sql
