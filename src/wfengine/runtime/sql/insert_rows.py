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
