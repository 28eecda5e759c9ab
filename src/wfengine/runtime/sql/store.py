"""``SqlStore``: the Store protocol on SQLAlchemy Core, for SQLite files and PostgreSQL.

Use it through the engine: ``Engine(db_url="sqlite:///wfengine.db")`` or
``Engine(db_url="postgresql+psycopg://user:pw@host/db")`` (``postgresql://`` means psycopg 3).
Opening a store checks the schema (:mod:`~wfengine.runtime.sql.migrate`: an empty database is
created, an outdated one refused with the ``wfengine db upgrade`` command to run).

How a command maps onto the database:

* **Reads** are single statements, each run on its own in autocommit mode (a statement is
  atomic by itself, so a BEGIN and COMMIT around it would only add round trips); inside a unit
  of work every instance and work item read is kept in an identity map, so the command sees one
  object per id. The map is dropped when the unit ends, so every command starts from what is
  committed. A unit also keeps the one pooled connection it checked out until it ends, so a
  command pays one pool checkout (and on PostgreSQL one liveness ping), not one per statement.
* **commit(step)** is one write transaction (on SQLite ``BEGIN IMMEDIATE``): the job carried
  out is deleted (it must still exist), each touched instance row is updated with
  ``WHERE id = ? AND version = <read>`` (a new one inserted), and its audit events, activity,
  token and incident mirrors, work items, jobs and outbox entries are written. Every kind of row
  is written with one statement (many rows at once); changed activity instances and work items
  are upserted, and the job carried out, the cancelled timers and the jobs of closed instances
  go in one ``DELETE ... RETURNING`` that also proves the job carried out still existed. A
  version or job mismatch raises :class:`~wfengine.errors.ConcurrencyError` and rolls
  everything back; the engine then re-runs the command. Values that cannot be stored raise
  :class:`~wfengine.errors.DataNotStorableError` before the transaction starts.
* **Faults**: every transaction runs under :mod:`~wfengine.runtime.sql.retry` (roll back,
  back off, retry; then :class:`~wfengine.errors.StoreUnavailableError`).
* **Jobs** are claimed with a lease (``lock_owner``, ``lock_expires_at``): on PostgreSQL with
  one ``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING``, on SQLite with
  a SELECT and an UPDATE under ``BEGIN IMMEDIATE`` (one writer at a time makes it atomic).
  :meth:`SqlStore.renew_leases` and :meth:`SqlStore.release_job` may be called from another
  thread than the engine's (they touch no per-command state).
* **Deployments** store the package's XPDL 2.2 text and its SHA-256; a store compiles a version
  from that text the first time it needs it (also when the deploying engine asks, so what
  runs is always what a restarted engine would run) and keeps the result.

An engine and its store serve one thread; run one engine per worker thread or process.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL

from wfengine.definition.io import dump_xpdl, load_xpdl
from wfengine.definition.model import Package
from wfengine.errors import ConcurrencyError, NotFoundError, StoreError
from wfengine.runtime.compiler import compile_process
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.ids import IdGenerator
from wfengine.runtime.instance import Incident, ProcessInstance, Timer, WorkItem
from wfengine.runtime.jobs import JOB_TIMER, Job, job_timer, timer_job
from wfengine.runtime.snapshots import InstanceSummary
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.connect import create_engine, normalise_url, shown
from wfengine.runtime.sql.ids import BlockIds
from wfengine.runtime.sql.migrate import check_schema
from wfengine.runtime.sql.retry import RetryPolicy, run_with_retries
from wfengine.runtime.sql.serialize import (
    decode_value,
    encode_data,
    encode_value,
    instance_blob,
    load_instance,
)
from wfengine.runtime.states import ProcessState, WorkItemState
from wfengine.runtime.store import AuditEvent, OutboxEntry, Step

_T = TypeVar("_T")
_RUNNING = ProcessState.RUNNING.value
_log = logging.getLogger("wfengine.store")


def _summary(r: sa.RowMapping) -> InstanceSummary:
    """A ``process_instances`` row as a summary; ``ValueError``/``TypeError`` when a column
    does not hold what the engine writes there."""
    for column in ("id", "process_id"):
        if not isinstance(r[column], str):
            raise TypeError(f"{column} is {r[column]!r}, not text")
    if not isinstance(r["definition_version"], int):
        raise TypeError(f"definition_version is {r['definition_version']!r}, not an integer")
    return InstanceSummary(
        id=r["id"],
        process_id=r["process_id"],
        version=r["definition_version"],
        state=ProcessState(r["state"]),
        created_at=r["created_at"],
        started_at=r["started_at"],
        completed_at=r["completed_at"],
        parent_instance_id=r["parent_instance_id"],
        parent_activity_instance_id=r["parent_activity_instance_id"],
    )


def _summaries(rows: Iterable[sa.RowMapping]) -> list[InstanceSummary]:
    """The summaries of ``rows``, leaving out (and logging) rows that cannot be one."""
    summaries: list[InstanceSummary] = []
    for r in rows:
        try:
            summaries.append(_summary(r))
        except (ValueError, TypeError) as exc:
            _skipped(r["id"], exc)
    return summaries


def _skipped(instance_id: object, exc: Exception) -> None:
    _log.warning(
        "skipped the process_instances row with id %r: it cannot be read as an instance (%s)",
        instance_id,
        exc,
    )


class SqlStore:
    """The durable store. ``url``: a SQLAlchemy URL (``sqlite:///path`` or PostgreSQL).

    ``create``: create the schema in an empty database (default True). ``retry``: the fault
    policy. ``engine_options`` go to ``sqlalchemy.create_engine`` (pool sizes, echo).
    """

    def __init__(
        self,
        url: str | URL,
        *,
        create: bool = True,
        retry: RetryPolicy | None = None,
        engine_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.url = normalise_url(url)
        backend = self.url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise StoreError(
                f"unsupported database {shown(self.url)}: wfengine stores in SQLite or PostgreSQL"
            )
        self.retry = retry or RetryPolicy()
        self._what = shown(self.url)
        self._pg = backend == "postgresql"
        self.engine = create_engine(self.url, **dict(engine_options or {}))
        run_with_retries(
            lambda: check_schema(self.engine, create=create), what=self._what, policy=self.retry
        )
        self._deployed: dict[tuple[str, int], DeployedProcess] = {}
        self._packages: dict[str, Package] = {}
        self._depth = 0
        self._loaded: dict[str, ProcessInstance] = {}
        self._items: dict[str, WorkItem] = {}
        #: the connection the current unit holds (checked out at its first statement) and the
        #: thread running the unit: other threads (lease renewal) never share it
        self._conn: sa.Connection | None = None
        self._unit_thread: int | None = None
        insert = pg_insert if self._pg else sqlite_insert
        w = t.work_items
        upsert = insert(w)
        #: work items are inserted when new and updated when changed, by one statement
        self._upsert_items = upsert.on_conflict_do_update(
            index_elements=["id"],
            set_={
                c: upsert.excluded[c] for c in ("assignees", "performers", "state", "completed_at")
            },
        )
        a = t.activity_instances
        upsert = insert(a)
        #: activity mirrors likewise: one statement instead of a DELETE and an INSERT
        self._upsert_activities = upsert.on_conflict_do_update(
            index_elements=["id"],
            set_={c: upsert.excluded[c] for c in ("state", "started_at", "completed_at")},
        )
        p = t.process_instances
        #: built once (statements are immutable; SQLAlchemy then finds the compiled form cached)
        self._update_instance = (
            p.update()
            .where(p.c.id == sa.bindparam("w_id"), p.c.version == sa.bindparam("w_read"))
            .values({c.name: sa.bindparam(c.name) for c in p.c if c.name != "id"})
        )

    def __repr__(self) -> str:
        return f"SqlStore({self._what!r})"

    # -- plumbing ------------------------------------------------------------------------------

    @contextmanager
    def _connection(self, shared: bool = True) -> Iterator[sa.Connection]:
        """The unit's connection when the unit's thread asks (``shared``), else a fresh one.

        A failed attempt drops the unit's connection, so a retry starts on a new one.
        """
        if shared and self._depth and self._unit_thread == threading.get_ident():
            conn = self._conn
            if conn is None:
                conn = self._conn = self.engine.connect()
            try:
                yield conn
            except BaseException:
                self._drop_connection()
                raise
            return
        with self.engine.connect() as fresh:
            yield fresh

    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _read(self, fn: Callable[[sa.Connection], _T]) -> _T:
        """Run ``fn``, which executes one statement, in autocommit mode (see the module notes)."""

        def attempt() -> _T:
            with self._connection() as conn:
                conn.execution_options(wf_autocommit=True, wf_write=False)
                raw: Any = conn.connection.dbapi_connection if self._pg else None
                if raw is not None:
                    raw.autocommit = True
                try:
                    result = fn(conn)
                    conn.commit()  # ends SQLAlchemy's transaction; nothing reaches the server
                finally:
                    if raw is not None and not raw.closed:
                        raw.autocommit = False
                return result

        return run_with_retries(attempt, what=self._what, policy=self.retry)

    def _write(self, fn: Callable[[sa.Connection], _T], *, shared: bool = True) -> _T:
        """Run ``fn`` as one write transaction (``shared=False``: never on the unit's
        connection, for the calls other threads may make)."""

        def attempt() -> _T:
            with self._connection(shared) as conn:
                conn.execution_options(wf_write=True, wf_autocommit=False)
                with conn.begin():
                    return fn(conn)

        return run_with_retries(attempt, what=self._what, policy=self.retry)

    def unit(self) -> AbstractContextManager[None]:
        return self._unit()

    @contextmanager
    def _unit(self) -> Iterator[None]:
        if self._depth == 0:
            self._unit_thread = threading.get_ident()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._loaded.clear()
                self._items.clear()
                self._unit_thread = None
                self._drop_connection()

    def id_generator(self) -> IdGenerator:
        return BlockIds(self._reserve_ids)

    def _reserve_ids(self, kind: str, block: int) -> int:
        insert = pg_insert if self._pg else sqlite_insert
        stmt = (
            insert(t.id_blocks)
            .values(kind=kind, next_value=block)
            .on_conflict_do_update(
                index_elements=["kind"], set_={"next_value": t.id_blocks.c.next_value + block}
            )
            .returning(t.id_blocks.c.next_value)
        )
        return int(self._write(lambda c: c.execute(stmt).scalar_one()))

    def close(self) -> None:
        self._drop_connection()
        self.engine.dispose()

    # -- deployments -----------------------------------------------------------------------------

    def add_deployments(self, deployed: Sequence[DeployedProcess]) -> None:
        texts: dict[int, str] = {}
        rows = []
        now = datetime.now(UTC)
        for d in deployed:
            text = texts.get(id(d.package))
            if text is None:
                text = texts[id(d.package)] = dump_xpdl(d.package).decode("utf-8")
            rows.append(
                {
                    "process_id": d.process_id,
                    "version": d.version,
                    "package_id": d.package_id,
                    "fingerprint": d.fingerprint,
                    "xpdl": text,
                    "xpdl_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    "deployed_at": now,
                }
            )

        def write(conn: sa.Connection) -> None:
            conn.execute(t.deployments.insert(), rows)

        try:
            self._write(write)
        except sa.exc.IntegrityError as exc:
            raise ConcurrencyError(
                "another engine deployed "
                + ", ".join(f"{d.process_id} v{d.version}" for d in deployed)
                + " at the same moment"
            ) from exc

    def deployment(self, process_id: str, version: int | None = None) -> DeployedProcess | None:
        if version is not None:
            found = self._deployed.get((process_id, version))
            if found is not None:
                return found
        d = t.deployments
        query = sa.select(d.c.version).where(d.c.process_id == process_id)
        if version is not None:
            query = query.where(d.c.version == version)
        query = query.order_by(d.c.version.desc()).limit(1)
        got = self._read(lambda c: c.execute(query).scalar())
        if got is None:
            return None
        return self._deployed.get((process_id, got)) or self._load_deployment(process_id, got)

    def _load_deployment(self, process_id: str, version: int) -> DeployedProcess:
        d = t.deployments
        row = self._read(
            lambda c: (
                c.execute(sa.select(d).where(d.c.process_id == process_id, d.c.version == version))
                .mappings()
                .one()
            )
        )
        package = self._packages.get(row["xpdl_sha256"])
        if package is None:
            package = load_xpdl(row["xpdl"].encode("utf-8"), schema=False)
            self._packages[row["xpdl_sha256"]] = package
        process = next((p for p in package.workflow_processes if p.id == process_id), None)
        if process is None:
            raise StoreError(
                f"deployment {process_id} v{version} in {self._what}: its stored package "
                f"{row['package_id']!r} has no process {process_id!r}"
            )
        deployed = DeployedProcess(
            process_id=process_id,
            version=version,
            package_id=row["package_id"],
            fingerprint=row["fingerprint"],
            definition=process,
            package=package,
            compiled=compile_process(package, process),
        )
        self._deployed[(process_id, version)] = deployed
        return deployed

    def versions(self, process_id: str) -> list[int]:
        d = t.deployments
        query = sa.select(d.c.version).where(d.c.process_id == process_id).order_by(d.c.version)
        return list(self._read(lambda c: c.execute(query).scalars().all()))

    def deployments(self, process_id: str) -> list[DeployedProcess]:
        found = (self.deployment(process_id, v) for v in self.versions(process_id))
        return [d for d in found if d is not None]

    def deployed_process_ids(self) -> list[str]:
        d = t.deployments
        query = (
            sa.select(d.c.process_id)
            .group_by(d.c.process_id)
            .order_by(sa.func.min(d.c.deployed_at), d.c.process_id)
        )
        return list(self._read(lambda c: c.execute(query).scalars().all()))

    # -- instances -------------------------------------------------------------------------------

    def _materialise(self, row: Mapping[Any, Any]) -> ProcessInstance:
        loaded = self._loaded.get(row["id"])
        if loaded is not None:
            return loaded
        deployed = self.deployment(row["process_id"], row["definition_version"])
        if deployed is None:
            raise StoreError(
                f"instance {row['id']!r} runs process {row['process_id']!r} version "
                f"{row['definition_version']}, which is not deployed in {self._what}"
            )
        inst = load_instance(row, row["state_blob"], deployed.compiled)
        inst.stored_version = row["version"]
        inst.stored_audit = row["audit_seq"]
        if self._depth:
            self._loaded[inst.id] = inst
        return inst

    def instance(self, instance_id: str) -> ProcessInstance:
        loaded = self._loaded.get(instance_id)
        if loaded is not None:
            return loaded
        p = t.process_instances
        row = self._read(
            lambda c: c.execute(sa.select(p).where(p.c.id == instance_id)).mappings().first()
        )
        if row is None:
            raise NotFoundError("process instance", instance_id)
        return self._materialise(row)

    def instances(
        self, *, state: ProcessState | None = None, process_id: str | None = None
    ) -> Iterable[ProcessInstance]:
        p = t.process_instances
        query = sa.select(p).order_by(p.c.created_at, sa.func.length(p.c.id), p.c.id)
        if state is not None:
            query = query.where(p.c.state == state.value)
        if process_id is not None:
            query = query.where(p.c.process_id == process_id)
        rows = self._read(lambda c: c.execute(query).mappings().all())
        return [self._materialise(r) for r in rows]

    def instance_summaries(
        self, *, state: ProcessState | None = None, process_id: str | None = None
    ) -> list[InstanceSummary]:
        p = t.process_instances
        query = sa.select(
            p.c.id,
            p.c.process_id,
            p.c.definition_version,
            p.c.state,
            p.c.created_at,
            p.c.started_at,
            p.c.completed_at,
            p.c.parent_instance_id,
            p.c.parent_activity_instance_id,
        ).order_by(p.c.created_at, sa.func.length(p.c.id), p.c.id)
        if state is not None:
            query = query.where(p.c.state == state.value)
        if process_id is not None:
            query = query.where(p.c.process_id == process_id)
        try:
            rows = self._read(lambda c: c.execute(query).mappings().all())
        except (ValueError, TypeError):  # a column its type cannot read: see which rows
            return self._summaries_one_by_one(query, p.c.id)
        return _summaries(rows)

    def _summaries_one_by_one(self, query: sa.Select[Any], id_column: Any) -> list[InstanceSummary]:
        """``query``'s rows read one at a time, leaving out (and logging) those that fail: a
        tampered or foreign row must not hide every other instance from a listing."""
        ids = self._read(lambda c: c.execute(query.with_only_columns(id_column)).scalars().all())
        summaries: list[InstanceSummary] = []
        for instance_id in ids:
            one = query.where(id_column == instance_id)

            def read(c: sa.Connection, one: sa.Select[Any] = one) -> Sequence[sa.RowMapping]:
                return c.execute(one).mappings().all()

            try:
                summaries.extend(_summaries(self._read(read)))
            except (ValueError, TypeError) as exc:
                _skipped(instance_id, exc)
        return summaries

    # -- incidents ---------------------------------------------------------------------------------

    def open_incidents(self, instance_id: str | None = None) -> list[Incident]:
        i = t.incidents
        query = (
            sa.select(i)
            .where(i.c.resolved.is_(False))
            .order_by(i.c.created_at, sa.func.length(i.c.id), i.c.id)
        )
        if instance_id is not None:
            query = query.where(i.c.instance_id == instance_id)
        rows = self._read(lambda c: c.execute(query).mappings().all())
        return [
            Incident(
                id=r["id"],
                instance_id=r["instance_id"],
                activity_instance_id=r["activity_instance_id"],
                activity_id=r["activity_id"],
                operation=r["operation"],
                message=r["message"],
                created_at=r["created_at"],
                resolved=r["resolved"],
                application_id=r["application_id"],
                attempts=r["attempts"],
            )
            for r in rows
        ]

    def incident_instance_id(self, incident_id: str) -> str | None:
        i = t.incidents
        query = sa.select(i.c.instance_id).where(i.c.id == incident_id)
        found = self._read(lambda c: c.execute(query).scalar())
        return None if found is None else str(found)

    # -- work items and timers ---------------------------------------------------------------------

    def _item(self, row: Mapping[Any, Any]) -> WorkItem:
        known = self._items.get(row["id"])
        if known is not None:
            return known
        item = WorkItem(
            id=row["id"],
            instance_id=row["instance_id"],
            activity_instance_id=row["activity_instance_id"],
            activity_id=row["activity_id"],
            performers=tuple(row["performers"]),
            assignees=tuple(row["assignees"]),
            state=WorkItemState(row["state"]),
            created_at=row["created_at"],
            completed_at=row["completed_at"],
            mi_index=row["mi_index"],
        )
        if self._depth:
            self._items[item.id] = item
        return item

    def work_item(self, work_item_id: str) -> WorkItem:
        known = self._items.get(work_item_id)
        if known is not None:
            return known
        w = t.work_items
        row = self._read(
            lambda c: c.execute(sa.select(w).where(w.c.id == work_item_id)).mappings().first()
        )
        if row is None:
            raise NotFoundError("work item", work_item_id)
        return self._item(row)

    def open_work_items(self, instance_id: str | None = None) -> list[WorkItem]:
        w = t.work_items
        query = (
            sa.select(w)
            .where(w.c.state == WorkItemState.OFFERED.value)
            .order_by(w.c.created_at, sa.func.length(w.c.id), w.c.id)
        )
        if instance_id is not None:
            query = query.where(w.c.instance_id == instance_id)
        rows = self._read(lambda c: c.execute(query).mappings().all())
        return [self._item(r) for r in rows]

    def timers(self, instance_id: str | None = None) -> list[Timer]:
        return [job_timer(j) for j in self.jobs(instance_id) if j.kind == JOB_TIMER]

    def due_timers(self, now: datetime) -> list[Timer]:
        query = self._due_query(now, None, (JOB_TIMER,))
        rows = self._read(lambda c: c.execute(query).mappings().all())
        return [job_timer(_job(r)) for r in rows]

    # -- jobs -------------------------------------------------------------------------------------

    def job(self, job_id: str) -> Job | None:
        j = t.jobs
        row = self._read(
            lambda c: c.execute(sa.select(j).where(j.c.id == job_id)).mappings().first()
        )
        return None if row is None else _job(row)

    def jobs(self, instance_id: str | None = None) -> list[Job]:
        j = t.jobs
        query = sa.select(j).order_by(j.c.due_at, j.c.seq, j.c.id)
        if instance_id is not None:
            query = query.where(j.c.instance_id == instance_id)
        return [_job(r) for r in self._read(lambda c: c.execute(query).mappings().all())]

    def _due_query(
        self,
        now: datetime,
        owner: str | None,
        kinds: Sequence[str] | None,
        *,
        leased: bool = False,
    ) -> sa.Select[Any]:
        """Due jobs of running instances whose lease is free (or ``owner``'s; any lease with
        ``leased``), in due order."""
        j, p = t.jobs, t.process_instances
        query = (
            sa.select(j)
            .join(p, p.c.id == j.c.instance_id)
            .where(j.c.due_at <= now, p.c.state == _RUNNING)
            .order_by(j.c.due_at, j.c.seq, j.c.id)
        )
        if not leased:
            free = sa.or_(j.c.lock_expires_at.is_(None), j.c.lock_expires_at <= now)
            if owner is not None:
                free = sa.or_(free, j.c.lock_owner == owner)
            query = query.where(free)
        if kinds is not None:
            query = query.where(j.c.kind.in_(list(kinds)))
        return query

    def claim_jobs(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Sequence[str] | None = None,
    ) -> list[Job]:
        j = t.jobs
        select = self._due_query(now, owner, kinds).with_only_columns(j.c.id).limit(limit)
        if self._pg:
            select = select.with_for_update(skip_locked=True, of=j)

        lease = {"lock_owner": owner, "lock_expires_at": lease_until, "attempts": j.c.attempts + 1}

        def claim(conn: sa.Connection) -> list[Job]:
            if self._pg:  # one statement: the locked rows are leased by the same round trip
                chosen = select.scalar_subquery()
                stmt = j.update().where(j.c.id.in_(chosen)).values(lease).returning(*j.c)
            else:
                ids = list(conn.execute(select).scalars())
                if not ids:
                    return []
                stmt = j.update().where(j.c.id.in_(ids)).values(lease).returning(*j.c)
            rows = conn.execute(stmt).mappings()
            return sorted((_job(r) for r in rows), key=lambda x: (x.due, x.seq, x.id))

        return self._write(claim)

    def renew_leases(self, owner: str, job_ids: Iterable[str], lease_until: datetime) -> list[str]:
        ids = list(job_ids)
        if not ids:
            return []
        j = t.jobs
        stmt = (
            j.update()
            .where(j.c.id.in_(ids), j.c.lock_owner == owner)
            .values(lock_expires_at=lease_until)
            .returning(j.c.id)
        )
        return list(self._write(lambda c: c.execute(stmt).scalars().all(), shared=False))

    def release_job(self, job_id: str, owner: str, due: datetime | None = None) -> None:
        j = t.jobs
        values: dict[str, Any] = {"lock_owner": None, "lock_expires_at": None}
        if due is not None:
            values["due_at"] = due
        stmt = j.update().where(j.c.id == job_id, j.c.lock_owner == owner).values(**values)
        self._write(lambda c: c.execute(stmt), shared=False)

    def has_due_jobs(self, now: datetime, *, leased: bool = False) -> bool:
        query = (
            self._due_query(now, None, None, leased=leased).with_only_columns(t.jobs.c.id).limit(1)
        )
        return self._read(lambda c: c.execute(query).first()) is not None

    def next_due_at(self) -> datetime | None:
        j, p = t.jobs, t.process_instances
        when = sa.case(
            (
                sa.and_(j.c.lock_expires_at.is_not(None), j.c.lock_expires_at > j.c.due_at),
                j.c.lock_expires_at,
            ),
            else_=j.c.due_at,
        )
        query = (
            sa.select(sa.type_coerce(sa.func.min(when), t.UtcDateTime))
            .select_from(j.join(p, p.c.id == j.c.instance_id))
            .where(p.c.state == _RUNNING)
        )
        value = self._read(lambda c: c.execute(query).scalar())
        assert value is None or isinstance(value, datetime)
        return value

    # -- audit and outbox ----------------------------------------------------------------------

    def audit(self, instance_id: str) -> list[AuditEvent]:
        a = t.audit_events
        query = sa.select(a).where(a.c.instance_id == instance_id).order_by(a.c.seq)
        rows = self._read(lambda c: c.execute(query).mappings().all())
        return [
            AuditEvent(
                r["seq"],
                r["at"],
                instance_id,
                r["kind"],
                r["activity_instance_id"],
                r["activity_id"],
                decode_value(r["detail"]),
            )
            for r in rows
        ]

    def take_outbox(self) -> list[OutboxEntry]:
        o = t.outbox
        stmt = (
            o.update()
            .where(o.c.dispatched_at.is_(None))
            .values(dispatched_at=datetime.now(UTC))
            .returning(o.c.id, o.c.key, o.c.kind, o.c.instance_id, o.c.payload)
        )
        rows = sorted(self._write(lambda c: c.execute(stmt).all()))
        return [
            OutboxEntry(key, kind, iid, decode_value(payload))
            for _, key, kind, iid, payload in rows
        ]

    # -- commit ----------------------------------------------------------------------------------

    def commit(self, step: Step) -> None:
        plan = _Plan(self, step)
        self._write(plan.write)
        plan.done()


class _Plan:
    """One step turned into rows (before the transaction, so encoding errors come first)."""

    def __init__(self, store: SqlStore, step: Step) -> None:
        self.store = store
        self.step = step
        now = datetime.now(UTC)
        self.updates: list[tuple[dict[str, Any], int]] = []
        self.inserts: list[dict[str, Any]] = []
        self.audit: list[dict[str, Any]] = []
        self.mirror: list[dict[str, Any]] = []
        self.token_reset: list[str] = []
        self.tokens: list[dict[str, Any]] = []
        self.incident_reset: list[str] = []
        self.incidents: list[dict[str, Any]] = []
        self.closed: list[str] = []
        self.versions: dict[str, tuple[int, int]] = {}
        for inst in step.instances.values():
            stored = inst.stored_version
            audit_seq = inst.stored_audit
            row = {
                "id": inst.id,
                "process_id": inst.process_id,
                "definition_version": inst.version,
                "state": inst.state.value,
                "data": encode_data(inst.data, inst.id),
                "audit_seq": audit_seq + len(inst.changes),
                "parent_instance_id": inst.parent_instance,
                "parent_activity_instance_id": inst.parent_activity_instance,
                "created_at": inst.created_at,
                "started_at": inst.started_at,
                "completed_at": inst.completed_at,
                "updated_at": now,
                "state_blob": instance_blob(inst),
            }
            changed: set[str] = set()
            for n, (at, kind, ai_id, act_id, detail) in enumerate(inst.changes, audit_seq + 1):
                self.audit.append(
                    {
                        "instance_id": inst.id,
                        "seq": n,
                        "at": at,
                        "kind": kind,
                        "activity_instance_id": ai_id,
                        "activity_id": act_id,
                        "detail": encode_value(detail, f"instance {inst.id!r}, audit {kind}"),
                    }
                )
                if ai_id is not None:
                    changed.add(ai_id)
            row["version"] = stored + 1
            self.versions[inst.id] = (stored + 1, audit_seq + len(inst.changes))
            if stored == 0:
                self.inserts.append(row)
            else:
                self.updates.append((row, stored))
                self.token_reset.append(inst.id)
            for ai_id in sorted(changed):
                ai = inst.activities.get(ai_id)
                if ai is None:
                    continue
                self.mirror.append(
                    {
                        "id": ai.id,
                        "instance_id": inst.id,
                        "activity_id": ai.act.id,
                        "state": ai.state.value,
                        "started_at": ai.started_at,
                        "completed_at": ai.completed_at,
                    }
                )
            for scope in inst.scopes.values():
                if scope.closed:
                    continue
                for index, waiting in scope.tokens.items():
                    ca = scope.graph.activities[index]
                    for slot, count in enumerate(waiting):
                        if count:
                            self.tokens.append(
                                {
                                    "instance_id": inst.id,
                                    "scope_id": scope.id,
                                    "activity_id": ca.id,
                                    "slot": slot,
                                    "transition_id": ca.incoming[slot],
                                    "count": count,
                                    "block_activity_instance_id": (
                                        scope.owner.id if scope.owner else None
                                    ),
                                }
                            )
            if inst.incidents:  # rare: an instance's incident rows are rewritten whole
                if stored:
                    self.incident_reset.append(inst.id)
                self.incidents.extend(
                    {
                        "id": i.id,
                        "instance_id": inst.id,
                        "activity_instance_id": i.activity_instance_id,
                        "activity_id": i.activity_id,
                        "application_id": i.application_id,
                        "operation": i.operation,
                        "message": i.message,
                        "attempts": i.attempts,
                        "created_at": i.created_at,
                        "resolved": i.resolved,
                    }
                    for i in inst.incidents.values()
                )
            if inst.state.is_closed:
                self.closed.append(inst.id)
        items: dict[str, WorkItem] = {w.id: w for w in step.work_items}
        self.items_rows = [
            {
                "id": item.id,
                "instance_id": item.instance_id,
                "activity_instance_id": item.activity_instance_id,
                "activity_id": item.activity_id,
                "performers": list(item.performers),
                "assignees": list(item.assignees),
                "state": item.state.value,
                "created_at": item.created_at,
                "completed_at": item.completed_at,
                "mi_index": item.mi_index,
            }
            for item in items.values()
        ]
        self.items = items
        cancelled = set(step.timers_cancelled)
        self.cancelled = sorted(cancelled)
        jobs = [timer_job(x) for x in step.timers_set if x.id not in cancelled]
        jobs.extend(step.jobs)
        self.jobs = [
            {
                "id": j.id,
                "kind": j.kind,
                "instance_id": j.instance_id,
                "due_at": j.due,
                "seq": j.seq,
                "attempts": j.attempts,
                "lock_owner": None,
                "lock_expires_at": None,
                "payload": encode_value(j.payload, f"job {j.id!r}"),
                "idempotency_key": j.key,
            }
            for j in jobs
            if j.instance_id not in self.closed
        ]
        self.outbox = [
            {
                "key": e.key,
                "kind": e.kind,
                "instance_id": e.instance_id,
                "payload": encode_value(e.payload, f"outbox entry {e.key!r}"),
                "created_at": now,
            }
            for e in step.outbox
        ]

    def write(self, conn: sa.Connection) -> None:
        step = self.step
        j, p = t.jobs, t.process_instances
        done = step.job_done
        if done is not None and step.job_again_at is not None:
            # given back to run again later (an application call's retry)
            again = (
                j.update()
                .where(j.c.id == done)
                .values(due_at=step.job_again_at, lock_owner=None, lock_expires_at=None)
            )
            if conn.execute(again).rowcount == 0:
                raise ConcurrencyError(f"job {done!r} was already carried out")
            done = None
        # the job carried out, the timers cancelled and the jobs of closed instances: one DELETE
        gone: list[sa.ColumnElement[bool]] = []
        if done is not None:
            gone.append(j.c.id == done)
        if self.cancelled:
            gone.append(j.c.id.in_(self.cancelled))
        if self.closed:
            gone.append(j.c.instance_id.in_(self.closed))
        if gone:
            delete = j.delete().where(sa.or_(*gone))
            if done is None:
                conn.execute(delete)
            elif done not in conn.execute(delete.returning(j.c.id)).scalars().all():
                raise ConcurrencyError(f"job {done!r} was already carried out")
        if self.inserts:
            conn.execute(p.insert(), self.inserts)
        update = self.store._update_instance
        for row, read_version in self.updates:
            values = {k: v for k, v in row.items() if k != "id"}
            result = conn.execute(update, {**values, "w_id": row["id"], "w_read": read_version})
            if result.rowcount != 1:
                raise ConcurrencyError(
                    f"process instance {row['id']!r} was changed by another engine "
                    f"(read at version {read_version})"
                )
        if self.audit:
            conn.execute(t.audit_events.insert(), self.audit)
        if self.mirror:
            conn.execute(self.store._upsert_activities, self.mirror)
        if self.token_reset:
            conn.execute(t.tokens.delete().where(t.tokens.c.instance_id.in_(self.token_reset)))
        if self.tokens:
            conn.execute(t.tokens.insert(), self.tokens)
        if self.incident_reset:
            i = t.incidents
            conn.execute(i.delete().where(i.c.instance_id.in_(self.incident_reset)))
        if self.incidents:
            conn.execute(t.incidents.insert(), self.incidents)
        if self.items_rows:
            conn.execute(self.store._upsert_items, self.items_rows)
        if self.jobs:
            conn.execute(j.insert(), self.jobs)
        if self.outbox:
            conn.execute(t.outbox.insert(), self.outbox)

    def done(self) -> None:
        """After the commit: the identity map knows the new versions; changes are audit now."""
        store = self.store
        for inst in self.step.instances.values():
            inst.changes = []
            inst.stored_version, inst.stored_audit = self.versions[inst.id]
            if store._depth:
                store._loaded[inst.id] = inst
        if store._depth:
            store._items.update(self.items)


def _job(row: Mapping[Any, Any]) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        instance_id=row["instance_id"],
        due=row["due_at"],
        seq=row["seq"],
        attempts=row["attempts"],
        lock_owner=row["lock_owner"],
        lock_expires_at=row["lock_expires_at"],
        payload=decode_value(row["payload"]),
        key=row["idempotency_key"],
    )
