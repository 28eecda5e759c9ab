"""A process's Standard loops' rounds, measured from their events for
:func:`wfengine.runtime.sql.metrics_sql.activity_durations`.

Why apart: a row of the ``activity_instances`` mirror keeps one activity instance's times,
not its rounds' (a loop's every round is offered, waited for and done anew), so the rows of
Standard loops are the one place the SQL figures read events; only those rows, and their
instances' events of them, are read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from wfengine.runtime.activity_durations import ActivityDurations, Rounds
from wfengine.runtime.sql.listing import id_chunks


def time_type() -> Any:
    """The column type of the mirror's times, for binding and reading them."""
    from wfengine.runtime.sql.schema import UtcDateTime

    return UtcDateTime()


#: the rows of a process's Standard loops that may have a round ending in the window (not
#: closed before it; created before its end), and whether their process instance is open
_LOOP_ROWS_QUERY = """
SELECT a.id, a.instance_id, a.activity_id, a.state, p.state, p.definition_version
FROM activity_instances AS a JOIN process_instances AS p ON p.id = a.instance_id
WHERE a.process_id = :process_id AND a.activity_id IN :loops
      {window}
"""

#: the events of some process instances' Standard loops (``:ids``, ``:loops``: expanding
#: parameters), each instance's in audit order (that of ``ix_audit_events_instance_at``)
_LOOP_EVENTS_QUERY = """
SELECT instance_id, activity_instance_id, kind, at FROM audit_events
WHERE instance_id IN :ids AND activity_id IN :loops
ORDER BY instance_id, at, seq
"""


def loop_rounds(
    conn: sa.Connection,
    process_id: str,
    loops: list[str],
    looped: Callable[[str, int], bool],
    since: datetime | None,
    until: datetime | None,
    found: ActivityDurations,
) -> None:
    """Add to ``found`` the rounds of the Standard loops of ``process_id`` (``loops``: their
    activity ids; ``looped(activity, version)``: whether it is one in that version) that
    ended in ``[since, until)``, and, to its ``waiting_since``, each later round that waits
    for a person now (in an open process instance); the rows of a version where the activity
    is no loop are passed over (counted as they are by ``activity_durations``). Each row's
    rounds are measured by :class:`~wfengine.runtime.activity_durations.Rounds`, as the
    memory store's trail is."""
    params: dict[str, Any] = {"process_id": process_id, "loops": loops}
    window = ""
    binds: list[sa.BindParameter[Any]] = [sa.bindparam("loops", expanding=True)]
    if since is not None:
        window += " AND (a.completed_at IS NULL OR a.completed_at >= :since)"
        params["since"] = since
        binds.append(sa.bindparam("since", type_=time_type()))
    if until is not None:
        window += " AND a.started_at < :until"
        params["until"] = until
        binds.append(sa.bindparam("until", type_=time_type()))
    rows_stmt = sa.text(_LOOP_ROWS_QUERY.format(window=window)).bindparams(*binds)
    #: activity instance -> (its activity, whether it and its process instance are open)
    rows: dict[str, tuple[str, bool]] = {}
    instances: set[str] = set()
    for aid, iid, act, state, process_state, version in conn.execute(rows_stmt, params):
        if not looped(act, version):
            continue  # (a version where it is no loop: its rows are counted as they are)
        rows[aid] = (act, state.startswith("open.") and process_state.startswith("open."))
        instances.add(iid)
    instance_ids = sorted(instances)
    events = (
        sa.text(_LOOP_EVENTS_QUERY)
        .bindparams(sa.bindparam("ids", expanding=True), sa.bindparam("loops", expanding=True))
        .columns(
            sa.column("instance_id", sa.String),
            sa.column("activity_instance_id", sa.String),
            sa.column("kind", sa.String),
            sa.column("at", time_type()),
        )
    )
    rounds: dict[str, Rounds] = {}
    for chunk in id_chunks(instance_ids):
        for _, aid, kind, at in conn.execute(events, {"ids": chunk, "loops": loops}):
            if aid not in rows:
                continue
            of = rounds.get(aid)
            if of is None:
                of = rounds[aid] = Rounds(at, loop=True)
            of.see(kind, at)
    for aid, of in rounds.items():
        act, is_open = rows[aid]
        for ready, started, ended_at, late in of.done:
            if (since is None or ended_at >= since) and (until is None or ended_at < until):
                found.setdefault(act, []).append(
                    (elapsed(ready, started), elapsed(started, ended_at), late)
                )
        waits = of.waiting_since
        if is_open and waits is not None:
            found.waiting_since.setdefault(act, []).append(waits)


def elapsed(a: datetime, b: datetime) -> float:
    """Real seconds from ``a`` to ``b``, as the memory store's figures compute them
    (``wfengine.audit.metrics._seconds``: both in UTC first)."""
    return (b.astimezone(UTC) - a.astimezone(UTC)).total_seconds()


#: the work items that wait again: a person started them and gave them back (released),
#: unstarted since, in an activity instance that runs on (started: its state does not show
#: the wait) of an open process instance; each with its last release
_RELEASED_QUERY = """
SELECT a.activity_id, p.definition_version,
  (SELECT MAX(e.at) FROM audit_events AS e
   WHERE e.instance_id = w.instance_id AND e.work_item_id = w.id
         AND e.kind = 'work_item.released') AS released
FROM work_items AS w
JOIN activity_instances AS a ON a.id = w.activity_instance_id
JOIN process_instances AS p ON p.id = w.instance_id
WHERE a.process_id = :process_id AND w.state IN ('offered', 'allocated')
      AND a.state LIKE 'open.%' AND a.state <> 'open.not_running.not_started'
      AND p.state LIKE 'open.%'
"""
#: (each open item of the process has its release looked up through its instance's trail
#: index, as a column of the rows the joins keep: a join with audit_events was planned on
#: PostgreSQL as a scan of the whole trail, every process's; and filtered in SQL on the
#: release, the filter was pushed down to every open item of every process, the lookup
#: run for each. Items never released come back with none and are passed over here.)


def released_waiting(
    conn: sa.Connection,
    process_id: str,
    looped: Callable[[str, int], bool],
    found: ActivityDurations,
) -> None:
    """Add to ``found``'s ``waiting_since`` the work of ``process_id`` that waits again since
    a person who had started it released it (``Rounds.waiting_since``, as the memory store's
    trail tells it); a Standard loop's rows are passed over (:func:`loop_rounds` reads their
    rounds, releases too)."""
    stmt = sa.text(_RELEASED_QUERY).columns(
        sa.column("activity_id", sa.String),
        sa.column("definition_version", sa.Integer),
        sa.column("released", time_type()),
    )
    for act, version, released in conn.execute(stmt, {"process_id": process_id}):
        if released is not None and not looped(act, version):
            found.waiting_since.setdefault(act, []).append(released)
