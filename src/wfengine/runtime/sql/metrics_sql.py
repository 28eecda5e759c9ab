"""What process metrics read from the database (see :mod:`wfengine.audit.metrics` for what
the figures mean), without reading the audit events one by one.

The activity figures come from the ``activity_instances`` mirror: each row keeps its process
(so a process's rows are one index range, no join), when its activity instance was created
(``started_at``), when a person's work on it began if that was later (``running_at``), when
it completed and whether a deadline fired (``late``), all written by the commit with the
events that say so. A Standard loop's rows are the exception: a row keeps one activity
instance's times, not its rounds', so those rows' rounds are measured from their events
(only theirs are read: :func:`~wfengine.runtime.sql.metrics_loops.loop_rounds`). The database turns
each completed row into its two durations (one statement, a few numbers per row: on a
1,000,000-event trail about 130,000 rows), and :mod:`wfengine.audit.metrics` takes mean and
nearest-rank percentiles of them; ranking in the database with window functions measured
slower on SQLite (two sorts over computed values) and no faster on PostgreSQL. The figures
equal the ones computed from the events (the test suite checks it on every store).

Durations are computed as whole microseconds in the database and divided in Python exactly as
``timedelta.total_seconds`` divides them, so they are the very floats the memory store's
figures are (to the microsecond the stored times keep). SQLite has no time type: its times are
text (``YYYY-MM-DD HH:MM:SS.ffffff``), and its date functions keep milliseconds at best (a
``julianday`` difference of the whole text is off by microseconds, and ``.9995`` rounds up a
second), so the whole seconds come from ``julianday`` of the text up to the seconds, rounded
(exact: the error is far below half a second), and the microseconds from the digits after
the point. (``unixepoch`` would be as exact but needs SQLite 3.38; ``strftime('%s')`` measured
half as fast again.)

Per user the work items they completed are the trail's ``work_item.completed`` events of the
process (read through its index range), each credited to the user it names or, when the
host's code completed the item without naming one, to whoever held the item: the activity
instance's performer rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from wfengine.errors import DeployError
from wfengine.runtime.activity_durations import ActivityDurations
from wfengine.runtime.activity_holders import holders
from wfengine.runtime.deadline_events import ended_activity
from wfengine.runtime.sql.activity_rows import skipped_activity
from wfengine.runtime.sql.database import Database
from wfengine.runtime.sql.instance_times import READABLE, name_unreadable
from wfengine.runtime.sql.listing import id_chunks
from wfengine.runtime.sql.metrics_loops import loop_rounds, released_waiting, time_type

if TYPE_CHECKING:
    from wfengine.runtime.deployment import DeployedProcess


#: the microseconds from time column (or expression) ``a`` to ``b``, as an integer
_MICROSECONDS = {
    "sqlite": (
        "(CAST(ROUND((julianday(substr({b}, 1, 19)) - julianday(substr({a}, 1, 19)))"
        " * 86400.0) AS INTEGER) * 1000000"
        " + CAST(substr(substr({b}, 21) || '000000', 1, 6) AS INTEGER)"
        " - CAST(substr(substr({a}, 21) || '000000', 1, 6) AS INTEGER))"
    ),
    "postgresql": "CAST(EXTRACT(EPOCH FROM ({b} - {a})) * 1000000 AS BIGINT)",
}


def seconds(microseconds: Any) -> float:
    """A duration the database gave in whole microseconds, in seconds: the same float
    ``timedelta.total_seconds()`` gives (an exact integer division, correctly rounded)."""
    return int(microseconds) / 1_000_000


#: an activity instance row's number in its process instance (its id is ``<instance>:<n>``,
#: ``n`` counting up as the instance creates activity instances)
_SEQ = "CAST(substr({t}.id, length({t}.instance_id) + 2) AS INTEGER)"

#: (a multi-instance activity's container, the row with no mi_index beside rows with one,
#: is not counted: its instances are the activity's work, and it spans all of them; an
#: instance is late when its container's deadline fired by the time it ended, a deadline
#: fired on the container being one on the activity: the container of an instance is the
#: one its row names (``mi_parent_id``), else, for a row written before rows named it, the
#: last one of its activity its process instance created before it; whether that one is
#: ``late`` is read here and, when it is, the time of its first ``deadline.fired`` event
#: (the earliest of its process instance's events, through their time index): ``overdue``
#: says whether the row ended at or after it, as ``Span.late_by`` does for the memory
#: store's figures; a late container whose event is not found: late, as its row says. A
#: late row closed terminated is settled from the events' detail: :func:`_settle`)
_DURATIONS_QUERY = """
SELECT s.activity_id, s.waiting, s.processing, s.late, s.container_late,
       CASE WHEN s.late = 1 THEN 1 WHEN s.container_late = 0 THEN 0
            WHEN (SELECT e.at FROM audit_events AS e
                  WHERE e.instance_id = s.instance_id AND e.kind = 'deadline.fired'
                        AND e.activity_instance_id = s.container
                  ORDER BY e.at LIMIT 1) > s.completed_at THEN 0
            ELSE 1 END AS overdue,
       s.mi_index, s.of_version, s.state, s.id, s.instance_id, s.container,
       CASE WHEN s.state = 'closed.terminated' THEN s.completed_at END AS terminated_at
FROM (
SELECT r.activity_id, r.waiting, r.processing, r.late,
       CASE WHEN r.container IS NOT NULL AND (
           SELECT c.late FROM activity_instances AS c WHERE c.id = r.container) THEN 1
            ELSE 0 END AS container_late,
       r.mi_index, r.of_version, r.state, r.id, r.instance_id, r.container, r.completed_at
FROM (
    SELECT activity_id, {waiting} AS waiting, {processing} AS processing,
           CASE WHEN late THEN 1 ELSE 0 END AS late, mi_index, {version} AS of_version,
           state, id, instance_id, completed_at,
           COALESCE(mi_parent_id, CASE WHEN mi_index IS NOT NULL THEN (
               SELECT c.id FROM activity_instances AS c
               WHERE c.instance_id = activity_instances.instance_id
                     AND c.activity_id = activity_instances.activity_id
                     AND c.mi_index IS NULL AND {seq_c} < {seq_a}
               ORDER BY {seq_c} DESC LIMIT 1) END) AS container
    FROM activity_instances
    WHERE process_id = :process_id AND completed_at IS NOT NULL
          AND state IN ('closed.completed', 'closed.terminated')
          {window}
          AND NOT (mi_index IS NULL AND {unsplit}EXISTS (
              SELECT 1 FROM activity_instances AS mi
              WHERE mi.instance_id = activity_instances.instance_id
                    AND mi.activity_id = activity_instances.activity_id
                    AND mi.mi_index IS NOT NULL))
) AS r
) AS s
"""

#: the activity instances waiting now (not started, in an open process instance): when each
#: was created (:attr:`ActivityDurations.waiting_since`)
_WAITING_NOW_QUERY = """
SELECT a.activity_id, a.started_at
FROM activity_instances AS a JOIN process_instances AS p ON p.id = a.instance_id
WHERE a.process_id = :process_id AND a.state = 'open.not_running.not_started'
      AND p.state LIKE 'open.%'
"""

#: the version of a row's process instance, read for the rows of an activity that is
#: multi-instance in some versions only (``:mixed``: their ids, an expanding parameter)
_ROW_VERSION = """CASE WHEN mi_index IS NULL AND activity_id IN :mixed THEN (
           SELECT p.definition_version FROM process_instances AS p
           WHERE p.id = activity_instances.instance_id) END"""

#: an instance counts as started once it was (``started_at``), not when it was created: one
#: created and never started is open (work in progress), not started; a cycle runs from the
#: start to the completion (an instance that completed always started; ``created_at`` stands
#: in should a row not say when)
_COUNTS_QUERY = """
SELECT SUM(CASE WHEN started_at IS NOT NULL{started} THEN 1 ELSE 0 END),
       SUM(CASE WHEN state LIKE 'open.%' THEN 1 ELSE 0 END),
       MIN(CASE WHEN started_at IS NOT NULL{started} THEN started_at END),
       MAX(CASE WHEN state = 'closed.completed'{completed} THEN completed_at END)
FROM process_instances
WHERE process_id = :process_id{readable}
"""

_CYCLES_QUERY = """
SELECT {cycle}
FROM process_instances
WHERE process_id = :process_id AND state = 'closed.completed' AND completed_at IS NOT NULL
      {completed}{readable}
"""

#: (instances started, open now, first started, last completed, cycle time of each completed
#: one)
InstanceStats = tuple[int, int, datetime | None, datetime | None, list[float]]

#: the work item a ``work_item.completed`` event names: its ``work_item_id`` column, or its
#: detail when that is the bare item id (a completion that named no user and wrote nothing)
_COMPLETED_ITEM = {
    "sqlite": "COALESCE(e.work_item_id, json_extract(e.detail, '$'))",
    "postgresql": "COALESCE(e.work_item_id, e.detail #>> '{}')",
}

_COMPLETIONS_QUERY = """
SELECT COALESCE(e.user_id, w.holder) AS who, COUNT(*)
FROM audit_events e
LEFT JOIN work_items w ON e.user_id IS NULL AND w.id = {item}
WHERE e.process_id = :process_id AND e.kind = 'work_item.completed'
GROUP BY COALESCE(e.user_id, w.holder)
"""

_HOLDING_QUERY = """
SELECT w.holder, COUNT(*)
FROM work_items w JOIN process_instances p ON p.id = w.instance_id
WHERE w.holder IS NOT NULL AND w.state IN ('allocated', 'started')
      AND p.process_id = :process_id
GROUP BY w.holder
"""


@dataclass(frozen=True, slots=True)
class MultiInstanceActivities:
    """Which activities of a process are multi-instance, in which of its versions."""

    #: multi-instance in every version that has them
    everywhere: frozenset[str] = frozenset()
    #: activity -> the versions it is multi-instance in, where other versions make it a plain
    #: activity
    some: Mapping[str, frozenset[int]] = field(default_factory=dict)
    #: a Standard loop in every version that has them: their rows are measured round by
    #: round, from their events (:func:`~wfengine.runtime.sql.metrics_loops.loop_rounds`)
    loops: frozenset[str] = frozenset()
    #: activity -> the versions it is a Standard loop in, where other versions make it no
    #: loop: only its rows of those versions are rounds (one multi-instance in v1 and a loop
    #: in v2 has v1 rows that are a container and its instances: no rounds)
    some_loops: Mapping[str, frozenset[int]] = field(default_factory=dict)
    #: an Id activity sets of one version repeat (TIBCO files do), multi-instance in one set
    #: and not in another: a row of it with no ``mi_index`` is a container when its history
    #: says so (its ``mi.started`` event), as the memory store's figures tell, not by the Id
    split: frozenset[str] = frozenset()

    def container(self, activity_id: str, version: int | None) -> bool:
        """Whether a row of ``activity_id`` with no ``mi_index``, of an instance of
        ``version``, is a multi-instance container."""
        if activity_id in self.everywhere:
            return True
        if activity_id in self.split:
            return False  # (its history decides: activity_durations)
        versions = self.some.get(activity_id)
        return versions is not None and version in versions

    def looped(self, activity_id: str, version: int | None) -> bool:
        """Whether a row of ``activity_id``, of an instance of ``version``, is a Standard
        loop's (its rounds are read by :func:`~wfengine.runtime.sql.metrics_loops.loop_rounds`)."""
        if activity_id in self.loops:
            return True
        versions = self.some_loops.get(activity_id)
        return versions is not None and version in versions

    def mixed(self) -> list[str]:
        """The activities whose rows are told apart by their process instance's version."""
        return sorted(self.some.keys() | self.some_loops.keys())


def activity_durations(
    db: Database,
    process_id: str,
    since: datetime | None = None,
    until: datetime | None = None,
    multi: MultiInstanceActivities | None = None,
) -> ActivityDurations:
    """Each activity instance of ``process_id`` that completed in ``[since, until)``: its
    waiting and processing time in seconds and whether it was late, by activity; and how
    many a deadline ended in the window (:attr:`ActivityDurations.ended`), and when each
    that waits now was created (:attr:`ActivityDurations.waiting_since`). ``multi``
    tells which activities are multi-instance in which versions: a row of theirs with no
    ``mi_index`` in such a version is a container even when it ran no instance (a count of
    0), which the query's test for instances beside it cannot tell (see
    :func:`multi_instance_activities`); whether it is one is decided by the version of the
    row's own process instance."""
    multi = multi or MultiInstanceActivities()
    micro = _MICROSECONDS[db.dialect.backend]
    start = "COALESCE(running_at, started_at)"
    params: dict[str, Any] = {"process_id": process_id}
    window, binds = _window("completed_at", since, until, params)
    version = "NULL"
    if multi.some or multi.some_loops:
        params["mixed"] = multi.mixed()
        binds.append(sa.bindparam("mixed", expanding=True))
        version = _ROW_VERSION
    unsplit = ""
    if multi.split:  # (their plain rows beside another set's instances of the Id count)
        params["split"] = sorted(multi.split)
        binds.append(sa.bindparam("split", expanding=True))
        unsplit = "activity_id NOT IN :split AND "
    query = sa.text(
        _DURATIONS_QUERY.format(
            unsplit=unsplit,
            window=window,
            waiting=micro.format(a="started_at", b=start),
            processing=micro.format(a=start, b="completed_at"),
            seq_a=_SEQ.format(t="activity_instances"),
            seq_c=_SEQ.format(t="c"),
            version=version,
        )
    )
    stmt = query.bindparams(*binds).columns(terminated_at=time_type())
    waiting_now = sa.text(_WAITING_NOW_QUERY).columns(
        sa.column("activity_id", sa.String), sa.column("started_at", time_type())
    )

    def read(conn: sa.Connection) -> ActivityDurations:
        found = ActivityDurations()
        for act, since_at in conn.execute(waiting_now, {"process_id": process_id}):
            found.waiting_since.setdefault(act, []).append(since_at)
        released_waiting(conn, process_id, multi.looped, found)  # (started, given back)
        #: the late rows closed terminated: their deadline's events tell whether it ended
        #: them (:func:`_settle`)
        stopped: list[Any] = []
        #: rows with no mi_index of the ``split`` Ids: their history tells containers apart
        undecided: list[Any] = []

        def take(row: Any) -> None:
            # (by position: its named columns cost a fifth more time on 3,000 rows)
            act, waiting, processing, late, boss_late, overdue, mi_index, version, state = row[:9]
            if state == "closed.completed":
                if mi_index is None and multi.looped(act, version):
                    return  # (a loop's rounds: loop_rounds)
                if waiting is None or processing is None:  # (SQL's arithmetic on no time)
                    return skipped_activity(row.id, "its started_at or completed_at is no time")
                durations = (seconds(waiting), seconds(processing), bool(overdue))
                found.setdefault(act, []).append(durations)
            elif late or boss_late:
                stopped.append(row)

        for row in conn.execute(stmt, params):
            act, mi_index, version = row[0], row[6], row[7]
            if mi_index is None and multi.container(act, version):
                continue  # a multi-instance container that ran no instance
            if mi_index is None and act in multi.split:
                undecided.append(row)
            else:
                take(row)
        if undecided:
            spanning = _mi_started(conn, sorted({row.instance_id for row in undecided}))
            for row in undecided:
                if row.id not in spanning:
                    take(row)
        _settle(conn, stopped, found)
        if multi.loops or multi.some_loops:
            loops = sorted(multi.loops | multi.some_loops.keys())
            loop_rounds(conn, process_id, loops, multi.looped, since, until, found)
        return found

    return db.read(read)


def _settle(conn: sa.Connection, rows: Sequence[Any], found: ActivityDurations) -> None:
    """Count in ``found`` the late ``rows`` closed terminated that a deadline ended (only
    their process instances' ``deadline.fired`` events are read: :func:`_ended`): its own
    ``deadline.fired`` says it ended it, or its container's did by the time it closed (it
    ends the open instances with the container); not one an operator ended after an
    asynchronous deadline let it go on, which the row has no column to tell."""
    ended = _ended(conn, sorted({row.instance_id for row in rows}))
    for row in rows:
        boss = ended.get(row.container)
        if row.id in ended or (boss is not None and boss <= row.terminated_at):
            found.ended[row.activity_id] = found.ended.get(row.activity_id, 0) + 1


#: the ``deadline.fired`` events of some process instances (``:ids``, an expanding parameter)
_FIRED_QUERY = """
SELECT activity_instance_id, at, detail FROM audit_events
WHERE instance_id IN :ids AND kind = 'deadline.fired'
"""


#: the multi-instance containers of some process instances (``:ids``, expanding)
_MI_STARTED_QUERY = """
SELECT activity_instance_id FROM audit_events
WHERE instance_id IN :ids AND kind = 'mi.started'
"""


def _mi_started(conn: sa.Connection, instance_ids: Sequence[str]) -> set[str]:
    """The activity instances of ``instance_ids`` that began as multi-instance containers
    (their ``mi.started`` event): what tells a container from another activity set's plain
    activity of its Id (:attr:`MultiInstanceActivities.split`; only those rows' instances
    are read)."""
    stmt = sa.text(_MI_STARTED_QUERY).bindparams(sa.bindparam("ids", expanding=True))
    found: set[str] = set()
    for chunk in id_chunks(instance_ids):
        found.update(aid for (aid,) in conn.execute(stmt, {"ids": chunk}) if aid is not None)
    return found


def _ended(conn: sa.Connection, instance_ids: Sequence[str]) -> dict[str, datetime]:
    """activity instance -> when a deadline that ended it fired (a synchronous one: its
    ``deadline.fired`` says so, or, written before that was recorded, does not say
    otherwise: :func:`~wfengine.runtime.deadline_events.ended_activity`), of
    ``instance_ids``; the earliest counts (a trail's times need not grow with its order)."""
    stmt = (
        sa.text(_FIRED_QUERY)
        .bindparams(sa.bindparam("ids", expanding=True))
        .columns(
            sa.column("activity_instance_id", sa.String),
            sa.column("at", time_type()),
            sa.column("detail", sa.JSON),
        )
    )
    found: dict[str, datetime] = {}
    for chunk in id_chunks(instance_ids):
        for aid, at, detail in conn.execute(stmt, {"ids": chunk}):
            if aid is not None and ended_activity(detail):
                found[aid] = min(at, found.get(aid, at))
    return found


def multi_instance_activities(
    versions: Iterable[int], deployment: Callable[[int], DeployedProcess | None]
) -> MultiInstanceActivities:
    """The activities that are multi-instance in the versions of a process, and in which
    (``deployment`` reads a version; one that no longer compiles is left out)."""
    multi: dict[str, set[int]] = {}
    single: set[str] = set()
    loops: dict[str, set[int]] = {}
    #: activity -> the versions that have it (a loop in all of them: every row a loop's)
    present: dict[str, set[int]] = {}
    split: set[str] = set()
    for version in versions:
        try:
            deployed = deployment(version)
        except DeployError:
            continue
        if deployed is None:
            continue
        compiled = deployed.compiled
        for activity_id in compiled.activity_graph:
            # every holder of an Id activity sets repeat (TIBCO files), not the first
            # compiled: another set's may be multi-instance, or a loop, where this is not
            held = [act.loop for act in holders(compiled, activity_id)] or [None]
            present.setdefault(activity_id, set()).add(version)
            kinds = {loop is not None and loop.multi for loop in held}
            if len(kinds) > 1:
                split.add(activity_id)
            elif kinds == {True}:
                multi.setdefault(activity_id, set()).add(version)
            else:
                single.add(activity_id)
            if any(loop is not None and not loop.multi for loop in held):
                loops.setdefault(activity_id, set()).add(version)
    multi = {act: vs for act, vs in multi.items() if act not in split}
    single -= split
    return MultiInstanceActivities(
        everywhere=frozenset(multi.keys() - single),
        some={act: frozenset(vs) for act, vs in multi.items() if act in single},
        loops=frozenset(act for act, vs in loops.items() if vs == present[act]),
        some_loops={act: frozenset(vs) for act, vs in loops.items() if vs != present[act]},
        split=frozenset(split),
    )


def _window(
    column: str, since: datetime | None, until: datetime | None, params: dict[str, Any]
) -> tuple[str, list[sa.BindParameter[Any]]]:
    """SQL that keeps ``column`` in ``[since, until)`` (empty for no bound), the bounds put
    in ``params`` and typed as the store's times."""
    window = ""
    binds = []
    for name, op, value in (("since", ">=", since), ("until", "<", until)):
        if value is not None:
            window += f" AND {column} {op} :{name}"
            params[name] = value
            binds.append(sa.bindparam(name, type_=time_type()))
    return window, binds


def instance_stats(
    db: Database,
    process_id: str,
    since: datetime | None = None,
    until: datetime | None = None,
) -> InstanceStats:
    """How many instances of ``process_id`` started in ``[since, until)`` and how many are
    open now, the first start and last completion in the window, and the cycle time in
    seconds of each instance that completed in it."""
    params: dict[str, Any] = {"process_id": process_id}
    started, binds = _window("started_at", since, until, params)
    completed, _ = _window("completed_at", since, until, {})
    ok = READABLE[db.dialect.backend]  # (a row whose time is no time: left out, named)
    counts = (
        sa.text(_COUNTS_QUERY.format(started=started, completed=completed, readable=ok))
        .bindparams(*binds)
        .columns(
            sa.column("n", sa.Integer),
            sa.column("open", sa.Integer),
            sa.column("first", time_type()),
            sa.column("last", time_type()),
        )
    )
    cycle = _MICROSECONDS[db.dialect.backend].format(
        a="COALESCE(started_at, created_at)", b="completed_at"
    )
    cycles = sa.text(_CYCLES_QUERY.format(cycle=cycle, completed=completed, readable=ok))

    def read(conn: sa.Connection) -> InstanceStats:
        name_unreadable(conn, db.dialect.backend, process_id)
        n, opened, first, last = conn.execute(counts, params).one()
        durations = [seconds(d) for (d,) in conn.execute(cycles.bindparams(*binds), params)]
        return int(n or 0), int(opened or 0), first, last, durations

    return db.read(read)


def user_stats(db: Database, process_id: str) -> dict[str, tuple[int, int]]:
    """user -> (work items of ``process_id`` they completed, open work items of it they
    hold)."""
    params = {"process_id": process_id}
    completions = sa.text(_COMPLETIONS_QUERY.format(item=_COMPLETED_ITEM[db.dialect.backend]))

    def read(conn: sa.Connection) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        for user, n in conn.execute(completions, params):
            if user is not None:
                found[user] = (int(n), 0)
        for user, n in conn.execute(sa.text(_HOLDING_QUERY), params):
            found[user] = (found.get(user, (0, 0))[0], int(n))
        return found

    return db.read(read)
