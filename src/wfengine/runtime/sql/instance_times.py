"""Which ``process_instances`` rows have times the metrics can read, told in SQL.

Why: ``stats`` (:func:`~wfengine.runtime.sql.metrics_sql.instance_stats`) aggregates the
instances' times in the database. A time edited by hand to hold no time (SQLite keeps any
text) came out of ``MIN``/``MAX`` as that text, which failed to decode, or made the cycle
time's date arithmetic NULL: a traceback, exit 1, for the whole process's figures, where
``instances`` leaves such a row out and names it. The aggregates leave out the rows
:data:`READABLE` refuses, and :func:`name_unreadable` logs each of them as a listing does
(:func:`~wfengine.runtime.sql.rows.skipped`)."""

from __future__ import annotations

import sqlalchemy as sa

from wfengine.runtime.sql.rows import skipped

#: a SQLite time as the engine writes it: text that starts as a date and that SQLite reads
#: as a time (``julianday`` is NULL for trailing junk)
_SQLITE_TIME = (
    "({c} IS NULL OR (typeof({c}) = 'text' AND {c} GLOB '[0-9][0-9][0-9][0-9]-*'"
    " AND julianday({c}) IS NOT NULL))"
)
_SQLITE = " AND ".join(
    _SQLITE_TIME.format(c=c) for c in ("created_at", "started_at", "completed_at")
)

#: by dialect, the condition (`` AND ...``) a row's times are readable under; a PostgreSQL
#: timestamp column holds only times (those Python has no value for, ``infinity``, aside)
READABLE = {
    "sqlite": f" AND {_SQLITE}",
    "postgresql": " AND (started_at IS NULL OR isfinite(started_at))"
    " AND (completed_at IS NULL OR isfinite(completed_at))",
}

_UNREADABLE_QUERY = "SELECT id FROM process_instances WHERE process_id = :process_id AND NOT ({})"


def name_unreadable(conn: sa.Connection, backend: str, process_id: str) -> None:
    """Log the rows of ``process_id`` whose times :data:`READABLE` refuses (the metrics left
    them out), naming each."""
    condition = READABLE[backend].removeprefix(" AND ")
    query = sa.text(_UNREADABLE_QUERY.format(condition))
    for (instance_id,) in conn.execute(query, {"process_id": process_id}):
        skipped(instance_id, ValueError("its created_at, started_at or completed_at is no time"))
