"""Per-activity waiting and processing times of one process, computed in the database (see
:mod:`wfengine.audit.metrics` for what they mean): one statement groups the trail's events by
activity instance (the ``(process_id, at)`` index selects them), takes the durations, ranks
them per activity with window functions and picks the nearest-rank median and 95th
percentile, so only one row per activity comes back however large the trail is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from wfengine.runtime.sql.database import Database

#: (count, mean, median, p95, total) of one duration
Stats = tuple[int, float | None, float | None, float | None, float]
#: (activity id, completed activity instances, waiting, processing, how many were late)
ActivityRow = tuple[str, int, Stats, Stats, int]

_SECONDS = {
    "sqlite": "((julianday({b}) - julianday({a})) * 86400.0)",
    "postgresql": "EXTRACT(EPOCH FROM ({b} - {a}))",
}

_QUERY = """
WITH spans AS (
    SELECT MIN(activity_id) AS act,
           MIN(at) AS ready,
           MIN(CASE WHEN kind IN ('work_item.started', 'activity.started') THEN at END)
               AS started,
           MAX(CASE WHEN kind = 'activity.completed' THEN at END) AS done,
           MAX(CASE WHEN kind = 'deadline.fired' THEN 1 ELSE 0 END) AS late
    FROM audit_events
    WHERE process_id = :process_id AND activity_instance_id IS NOT NULL {window}
    GROUP BY instance_id, activity_instance_id
),
d AS (
    SELECT act, late, {waiting} AS w, {processing} AS p
    FROM spans
    WHERE done IS NOT NULL AND started IS NOT NULL
),
ranked AS (
    SELECT act, late, w, p,
           ROW_NUMBER() OVER (PARTITION BY act ORDER BY w) AS rw,
           ROW_NUMBER() OVER (PARTITION BY act ORDER BY p) AS rp,
           COUNT(*) OVER (PARTITION BY act) AS n
    FROM d
)
SELECT act,
       COUNT(*) AS n,
       SUM(late) AS late,
       AVG(w), MAX(CASE WHEN rw = (n + 1) / 2 THEN w END),
       MAX(CASE WHEN rw = (95 * n + 99) / 100 THEN w END), SUM(w),
       AVG(p), MAX(CASE WHEN rp = (n + 1) / 2 THEN p END),
       MAX(CASE WHEN rp = (95 * n + 99) / 100 THEN p END), SUM(p)
FROM ranked
GROUP BY act
ORDER BY act
"""


def activity_stats(
    db: Database, process_id: str, since: datetime | None, until: datetime | None
) -> list[ActivityRow]:
    """One row per activity of ``process_id`` that has completed instances."""
    seconds = _SECONDS[db.dialect.backend]
    window = ""
    params: dict[str, Any] = {"process_id": process_id}
    if since is not None:
        window += " AND at >= :since"
        params["since"] = since
    if until is not None:
        window += " AND at < :until"
        params["until"] = until
    text = _QUERY.format(
        window=window,
        waiting=seconds.format(a="ready", b="started"),
        processing=seconds.format(a="started", b="done"),
    )
    stmt = sa.text(text).bindparams(
        *(sa.bindparam(name, type_=_time_type()) for name in ("since", "until") if name in params)
    )

    def read(conn: sa.Connection) -> list[ActivityRow]:
        found = []
        for act, n, late, wm, wmed, w95, wsum, pm, pmed, p95, psum in conn.execute(stmt, params):
            waiting: Stats = (n, _f(wm), _f(wmed), _f(w95), _f(wsum) or 0.0)
            processing: Stats = (n, _f(pm), _f(pmed), _f(p95), _f(psum) or 0.0)
            found.append((act, int(n), waiting, processing, int(late or 0)))
        return found

    return db.read(read)


def _time_type() -> Any:
    from wfengine.runtime.sql.schema import UtcDateTime

    return UtcDateTime()


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


_PROCESS_QUERY = """
WITH c AS (
    SELECT d, ROW_NUMBER() OVER (ORDER BY d) AS r, COUNT(*) OVER () AS n
    FROM (
        SELECT {cycle} AS d
        FROM process_instances
        WHERE process_id = :process_id AND state = 'closed.completed'
              AND completed_at IS NOT NULL
    ) AS done
)
SELECT COUNT(*), AVG(d), MAX(CASE WHEN r = (n + 1) / 2 THEN d END),
       MAX(CASE WHEN r = (95 * n + 99) / 100 THEN d END), SUM(d)
FROM c
"""

_COUNTS_QUERY = """
SELECT COUNT(*),
       SUM(CASE WHEN state LIKE 'open.%' THEN 1 ELSE 0 END),
       MIN(created_at),
       MAX(CASE WHEN state = 'closed.completed' THEN completed_at END)
FROM process_instances
WHERE process_id = :process_id
"""

_COMPLETED_BY_QUERY = """
SELECT user_id, COUNT(*)
FROM audit_events
WHERE process_id = :process_id AND kind = 'work_item.completed' AND user_id IS NOT NULL
GROUP BY user_id
"""

_HOLDING_QUERY = """
SELECT w.holder, COUNT(*)
FROM work_items w JOIN process_instances p ON p.id = w.instance_id
WHERE p.process_id = :process_id AND w.holder IS NOT NULL
      AND w.state IN ('allocated', 'started')
GROUP BY w.holder
"""


#: (started, open now, first created, last completed, cycle-time stats)
ProcessRow = tuple[int, int, datetime | None, datetime | None, Stats]


def process_stats(db: Database, process_id: str) -> ProcessRow:
    """Instance counts and cycle time of ``process_id``, from its instance rows."""
    cycle = _SECONDS[db.dialect.backend].format(a="created_at", b="completed_at")
    stats_stmt = sa.text(_PROCESS_QUERY.format(cycle=cycle))
    counts_stmt = sa.text(_COUNTS_QUERY).columns(
        sa.column("n", sa.Integer),
        sa.column("open", sa.Integer),
        sa.column("first", _time_type()),
        sa.column("last", _time_type()),
    )
    params = {"process_id": process_id}

    def read(conn: sa.Connection) -> ProcessRow:
        n, opened, first, last = conn.execute(counts_stmt, params).one()
        count, mean, median, p95, total = conn.execute(stats_stmt, params).one()
        cycle_stats: Stats = (int(count), _f(mean), _f(median), _f(p95), _f(total) or 0.0)
        return int(n), int(opened or 0), first, last, cycle_stats

    return db.read(read)


def user_stats(db: Database, process_id: str) -> dict[str, tuple[int, int]]:
    """user -> (work items of ``process_id`` they completed, open ones they hold)."""
    params = {"process_id": process_id}

    def read(conn: sa.Connection) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        for user, n in conn.execute(sa.text(_COMPLETED_BY_QUERY), params):
            found[user] = (int(n), 0)
        for user, n in conn.execute(sa.text(_HOLDING_QUERY), params):
            found[user] = (found.get(user, (0, 0))[0], int(n))
        return found

    return db.read(read)
