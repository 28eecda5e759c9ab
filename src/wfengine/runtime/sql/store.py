"""``SqlStore``: the Store protocol on SQLAlchemy Core, for SQLite files and PostgreSQL.

Use it through the engine: ``Engine(db_url="sqlite:///wfengine.db")`` or
``Engine(db_url="postgresql+psycopg://user:pw@host/db")`` (``postgresql://`` means psycopg 3).
Opening a store checks the schema (:mod:`~wfengine.runtime.sql.migrate`: an empty database is
created, an outdated one refused with the ``wfengine db upgrade`` command to run).

The store is assembled from parts, each in its own module of :mod:`wfengine.runtime.sql`:

``dialects`` (what differs between SQLite and PostgreSQL, chosen once here); ``database``
(reads in autocommit, write transactions, the unit's connection, retries); ``unit`` (the unit
of work: identity map, row versions); ``rows`` (records <-> rows) and ``serialize`` /
``document_format`` (instances <-> their versioned document); ``deployments``, ``job_queue``,
``outbox_queue`` (those tables); ``commit`` (``commit(step)``, one write transaction).

Inside a unit of work every instance and work item read is kept in the unit's identity map, so
the command sees one object per id; the map is dropped when the unit ends, so every command
starts from what is committed. An instance a command commits must have been read in that
command (or be new): one read outside it is refused as a :class:`ConcurrencyError`, which makes
the engine re-run the command on a fresh read.

Engines in several threads may share one store: each thread has a unit of work of its own
(:class:`~wfengine.runtime.sql.unit.ThreadUnits`), so each command sees what is committed and
its own changes, never another thread's. :meth:`SqlStore.renew_leases`,
:meth:`SqlStore.release_job` and the outbox's methods never use a command's connection.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import URL

from wfengine.errors import NotFoundError, StoreError
from wfengine.runtime.audit_chain import ChainReport
from wfengine.runtime.audit_query import AuditQuery
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.host_arguments import check_flag, check_url
from wfengine.runtime.ids import IdGenerator
from wfengine.runtime.instance import Incident, ProcessInstance, Timer, WorkItem
from wfengine.runtime.jobs import JOB_TIMER, Job, job_timer
from wfengine.runtime.outbox_store import StoreOutbox
from wfengine.runtime.snapshots import ActivityInstanceSnapshot, InstanceSummary, summarise
from wfengine.runtime.sql import activity_rows, audit_reads, listing, reads, rows, trail_reads
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.audit_verify import verify_chains
from wfengine.runtime.sql.bytewise import id_order
from wfengine.runtime.sql.commit import StepPlan, StepWriter
from wfengine.runtime.sql.connect import normalise_url, refuse_missing, shown, supported
from wfengine.runtime.sql.ids import BlockIds
from wfengine.runtime.sql.metrics_sql import (
    InstanceStats,
    activity_durations,
    instance_stats,
    multi_instance_activities,
    user_stats,
)
from wfengine.runtime.sql.migrate import check_schema
from wfengine.runtime.sql.reopening import Reopening
from wfengine.runtime.sql.retry import RetryPolicy, run_with_retries
from wfengine.runtime.sql.undecoded import undecoded
from wfengine.runtime.states import ProcessState, WorkItemState
from wfengine.runtime.store import AuditEvent, Step

_T = TypeVar("_T")


class SqlStore(Reopening, trail_reads.SqlTrailReads, StoreOutbox):
    """The durable store. ``url``: a SQLAlchemy URL (``sqlite:///path`` or PostgreSQL).

    ``create``: create the schema in an empty database (default True); with False, a
    database without the schema is refused, and a SQLite file that does not exist is refused
    before connecting would make it (:class:`~wfengine.errors.StoreError` naming the path).
    ``retry``: the fault policy. ``engine_options`` go to ``sqlalchemy.create_engine`` (pool
    sizes, echo).
    """

    def __init__(
        self,
        url: str | URL,
        *,
        create: bool = True,
        retry: RetryPolicy | None = None,
        engine_options: Mapping[str, Any] | None = None,
    ) -> None:
        check_flag(create, "create", "SqlStore")  # ("no" created the schema)
        check_url(url, "SqlStore")
        try:
            self.url = normalise_url(url)
        except sa.exc.ArgumentError:
            raise StoreError(
                "the database URL cannot be read: expected sqlite:///path/to/file.db or "
                "postgresql+psycopg://user:password@host/db"
            ) from None  # the message would show the URL, password and all
        dialect = supported(self.url)
        self.retry = retry or RetryPolicy()
        self._what = shown(self.url)
        if not create:
            refuse_missing(self.url, dialect)
        #: the SQLAlchemy engine (not a wfengine Engine) the store runs its statements on;
        #: a transaction of a host's own on it: :meth:`transaction` (retried like the
        #: store's own), or ``wfengine.runtime.sql.connect.begin(it)`` (on SQLite the
        #: dialect issues BEGIN, and ``sa_engine.begin()`` would commit each statement on
        #: its own); the values bound to a statement are left out of its errors' text (a
        #: sensitive field's value would be in every log and incident showing one)
        options = {"hide_parameters": True, **(engine_options or {})}
        self.sa_engine = dialect.create_engine(self.url, **options)
        engine = self.sa_engine

        def check() -> None:
            check_schema(engine, create=create)

        try:
            run_with_retries(check, what=self._what, policy=self.retry)
        except BaseException:  # (a refused schema left its connections to the collector)
            self.sa_engine.dispose()
            raise
        self._open(dialect)  # (the parts on its connections, made again by reopen())
        self._seen = listing.SeenStates()
        self._writer = StepWriter(dialect, self.sa_engine.dialect)
        self._reserve = dialect.upsert(
            t.id_blocks,
            ["kind"],
            set_={"next_value": t.id_blocks.c.next_value + sa.bindparam("block")},
        ).returning(t.id_blocks.c.next_value)

    def __repr__(self) -> str:
        return f"SqlStore({self._what!r})"

    @property
    def engine(self) -> sa.Engine:
        """Deprecated: the SQLAlchemy engine, now :attr:`sa_engine` (``engine`` means
        wfengine's :class:`~wfengine.runtime.engine.Engine` everywhere else)."""
        warnings.warn(
            "SqlStore.engine is deprecated: use SqlStore.sa_engine (the SQLAlchemy engine)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.sa_engine

    @property
    def _depth(self) -> int:
        """How many units of work are open (0: no command is running on this store)."""
        return self._unit.depth

    # -- units of work -------------------------------------------------------------------------

    def unit(self) -> AbstractContextManager[object]:
        return self._unit_of_work()

    @contextmanager
    def _unit_of_work(self) -> Iterator[None]:
        outer = self._threads.enter()  # (a unit of its own for another engine's command)
        try:
            yield
        finally:
            conn = self._unit.leave()
            if conn is not None:
                self._db.give_back(conn)
            if outer is not None:
                self._threads.restore()

    def id_generator(self) -> IdGenerator:
        return BlockIds(self._reserve_ids)

    def _reserve_ids(self, kind: str, block: int) -> int:
        values = {"kind": kind, "next_value": block, "block": block}
        return int(self._db.write(lambda c: c.execute(self._reserve, values).scalar_one()))

    def transaction(self, fn: Callable[[sa.Connection], _T], *, write: bool = True) -> _T:
        """Run ``fn(conn)`` as one transaction with the store's fault handling, for what is
        kept beside the engine's state (notes, the organisation, a host's own tables): a
        transient failure rolls the attempt back and runs ``fn`` again on a new connection
        (so ``fn`` does database work only), then :class:`~wfengine.errors.StoreUnavailableError`.
        ``write=False``: a read of several statements that sees one snapshot."""
        if write:
            return self._db.write(fn)
        return self._db.snapshot(fn)

    # -- deployments -----------------------------------------------------------------------------

    def add_deployments(self, deployed: Sequence[DeployedProcess]) -> None:
        self._deployments.add(deployed)

    def deployment(self, process_id: str, version: int | None = None) -> DeployedProcess | None:
        return self._deployments.get(process_id, version)

    def versions(self, process_id: str) -> list[int]:
        return self._deployments.versions(process_id)

    def deployed_process_ids(self) -> list[str]:
        return self._deployments.process_ids()

    def deployed_versions(self) -> dict[str, list[int]]:
        return self._deployments.all_versions()

    def deployed_at(self, process_id: str) -> dict[int, datetime]:
        """When each version of ``process_id`` was deployed, by version (``wfengine versions``)."""
        return self._deployments.deployed_at(process_id)

    # -- instances -------------------------------------------------------------------------------

    def _materialise(self, row: Mapping[Any, Any]) -> ProcessInstance:
        loaded = self._unit.instance(row["id"])
        if loaded is not None:
            return loaded
        deployed = self.deployment(row["process_id"], row["definition_version"])
        if deployed is None:
            raise StoreError(
                f"instance {row['id']!r} runs process {row['process_id']!r} version "
                f"{row['definition_version']}, which is not deployed in {self._what}"
            )
        inst = rows.instance(row, deployed.compiled)
        stored_tokens = rows.token_key(rows.token_rows(inst))
        self._unit.remember(
            inst,
            rows.row_version(row),
            row["audit_seq"],
            row["audit_head"],
            stored_tokens,
            row["state"],
        )
        return inst

    def instance(self, instance_id: str) -> ProcessInstance:
        loaded = self._unit.instance(instance_id)
        if loaded is not None:
            return loaded
        params = {"instance_id": instance_id}
        row = rows.readable(instance_id, lambda: self._db.row(reads.INSTANCE, params))
        if row is None:
            raise NotFoundError("process instance", instance_id)
        return self._materialise(row)

    def instances(
        self, *, state: ProcessState | None = None, process_id: str | None = None
    ) -> Iterable[ProcessInstance]:
        query = listing.ordered(sa.select(t.process_instances), state, process_id, self._db)
        found = self._db.read(lambda c: c.execute(query).mappings().all())
        return listing.compiled_only(found, self._materialise)

    def instance_summaries(
        self,
        *,
        state: ProcessState | None = None,
        process_id: str | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> list[InstanceSummary]:
        return listing.summaries(self._db, state, process_id, limit, after)

    def instance_summary(self, instance_id: str) -> InstanceSummary:
        loaded = self._unit.instance(instance_id)
        if loaded is not None:  # the command's own copy, changes and all
            return summarise(loaded)
        params = {"instance_id": instance_id}
        row = rows.readable(instance_id, lambda: self._db.row(reads.SUMMARY, params))
        found = None if row is None else rows.readable(instance_id, lambda: rows.summary(row))
        if found is None:
            raise NotFoundError("process instance", instance_id)
        return found

    def activity_history(self, instance_id: str) -> list[ActivityInstanceSnapshot]:
        a = t.activity_instances
        query = sa.select(*undecoded(a.c)).where(a.c.instance_id == instance_id)
        found = self._db.read(lambda c: c.execute(query).mappings().all())
        return activity_rows.activity_snapshots(found, self.sa_engine.dialect)  # one by one

    def trace(self, instance_id: str) -> list[str]:
        pending = self.instance(instance_id).trace  # a format 2 document's, until its commit
        e = t.trace_entries
        query = sa.select(e.c.activity_id).where(e.c.instance_id == instance_id)
        found = self._db.read(lambda c: c.execute(query.order_by(e.c.position)).all())
        return [r[0] for r in found] + pending

    # -- incidents ---------------------------------------------------------------------------------

    def open_incidents(self, instance_id: str | None = None) -> list[Incident]:
        i = t.incidents
        query = (
            sa.select(*undecoded(i.c))  # decoded row by row: see rows.incidents
            .where(i.c.resolved.is_(False))
            .order_by(i.c.created_at, sa.func.length(i.c.id), id_order(self._db, i.c.id))
        )
        if instance_id is not None:
            query = query.where(i.c.instance_id == instance_id)
        found = self._db.read(lambda c: c.execute(query).mappings().all())
        return rows.incidents(found, self.sa_engine.dialect)

    def incident_instance_id(self, incident_id: str) -> str | None:
        i = t.incidents
        query = sa.select(i.c.instance_id).where(i.c.id == incident_id)
        found = self._db.read(lambda c: c.execute(query).scalar())
        return None if found is None else str(found)

    # -- work items and timers ---------------------------------------------------------------------

    def _item(self, row: Mapping[Any, Any]) -> WorkItem:
        known = self._unit.work_item(row["id"])
        if known is not None:
            return known
        item = rows.work_item(row)
        self._unit.remember_work_item(item, row.get("instance_version"))
        return item

    def work_item(self, work_item_id: str) -> WorkItem:
        self._seen.take()  # (a state kept from an earlier read: not this item's)
        known = self._unit.work_item(work_item_id)
        if known is not None:
            return known
        params = {"work_item_id": work_item_id}
        if not self._unit.on_this_thread():
            row = self._db.row(reads.ITEM, params)
            if row is None:
                raise NotFoundError("work item", work_item_id)
            (item,) = self._items([row])
            return item
        # a command reads the item's instance next: its row comes with the item, in the same
        # statement (one round trip, and one moment for both)
        row = self._db.row(reads.ITEM_AND_INSTANCE, params)
        if row is None:
            raise NotFoundError("work item", work_item_id)
        self._instance_within(row)
        return self._item({**row, "instance_version": reads.instance_version(row)})

    def _instance_within(self, row: Mapping[Any, Any]) -> None:
        """Load the instance whose row comes prefixed inside ``row`` (a work item's or a
        job's, :data:`~wfengine.runtime.sql.reads.ITEM_AND_INSTANCE`,
        :data:`~wfengine.runtime.sql.reads.JOB_AND_INSTANCE`) into the unit, unless the unit
        has it already (its row is then not even unpacked)."""
        if self._unit.instance(row["instance_id"]) is None:
            self._materialise(reads.instance_part(row))

    def _items(self, found: Sequence[Mapping[Any, Any]]) -> list[WorkItem]:
        """The work items of the rows ``found`` (NULL rows left out), their instances' states
        kept for :meth:`suspended_among`."""
        self._seen.saw(found)
        return [self._item(r) for r in found if r["id"] is not None]

    def open_work_items(self, instance_id: str | None = None) -> list[WorkItem]:
        if instance_id is None:
            return self._items(self._db.rows(reads.OPEN_ITEMS, {}))
        found = self._db.rows(reads.OPEN_ITEMS_OF, {"instance_id": instance_id})
        if not found:
            raise NotFoundError("process instance", instance_id)
        return self._items(found)

    def suspended_among(self, instance_ids: Collection[str]) -> set[str]:
        """The command's own copy of an instance first (changes and all), else the state this
        thread's latest item read saw with the item; the others read (one statement)."""
        seen, states = self._seen.take(), {}
        for instance_id in instance_ids:
            loaded = self._unit.instance(instance_id)
            state = seen.get(instance_id) if loaded is None else loaded.state.value
            if state is not None:
                states[instance_id] = state
        unread = [i for i in instance_ids if i not in states]
        if unread:
            states.update(listing.states_of(self._db, unread))
        return {i for i, state in states.items() if state == ProcessState.SUSPENDED.value}

    def worklist(
        self,
        user: str,
        *,
        state: WorkItemState | None = None,
        process_id: str | None = None,
        after: tuple[datetime, str] | None = None,
        limit: int | None = None,
    ) -> list[WorkItem]:
        queries = listing.worklist_reads(self._db, user, state, process_id, after, limit)

        def read(conn: sa.Connection) -> list[Any]:
            return [r for q in queries for r in conn.execute(q).mappings().all()]

        found = sorted(self._items(self._db.read(read)), key=lambda i: (i.created_at, i.id))
        return found if limit is None else found[:limit]

    def timers(self, instance_id: str | None = None) -> list[Timer]:
        return [job_timer(j) for j in self._jobs.jobs(instance_id) if j.kind == JOB_TIMER]

    # -- jobs -------------------------------------------------------------------------------------

    def job(self, job_id: str) -> Job | None:
        if not self._unit.on_this_thread():
            return self._jobs.job(job_id)
        # a command that reads a job runs it on its instance next: the instance's row comes
        # with the job, in the same statement (one round trip, and one moment for both);
        # a job this store claimed comes with the claim, once (see claim_jobs)
        row = self._claimed.pop(job_id, None)
        if row is None:
            row = self._db.row(reads.JOB_AND_INSTANCE, {"job_id": job_id})
        if row is None:
            return None
        self._instance_within(row)
        return rows.job(row)

    def jobs(self, instance_id: str | None = None) -> list[Job]:
        return self._jobs.jobs(instance_id)

    def last_job_seq(self) -> int:
        return self._jobs.last_seq()

    def claim_jobs(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Sequence[str] | None = None,
        instances: Collection[str] | None = None,
    ) -> list[Job]:
        """The claim reads each job it takes with its instance's row, in its own transaction:
        the command that runs the job takes that row instead of reading it again (on
        PostgreSQL a round trip per job). Once: a command run again after a lost race reads
        afresh. A row older than the command that takes it (another engine changed the
        instance since the claim) makes that commit fail as the lost race it is, and the
        command runs again on a fresh read. A commit drops the rows of the instances it wrote."""
        found: dict[str, dict[str, Any]] = {}
        claimed = self._jobs.claim(owner, now, lease_until, limit, kinds, instances, found)
        self._threads.claimed = found  # the previous claim's rows: run or given back by now
        return claimed

    def renew_leases(self, owner: str, job_ids: Iterable[str], lease_until: datetime) -> list[str]:
        return self._jobs.renew(owner, job_ids, lease_until)

    def release_job(self, job_id: str, owner: str, due: datetime | None = None) -> None:
        self._jobs.release(job_id, owner, due)

    def has_due_jobs(self, now: datetime, *, leased: bool = False) -> bool:
        return self._jobs.has_due(now, leased=leased)

    def next_due_at(self) -> datetime | None:
        return self._jobs.next_due_at()

    def first_due_after(self, after: datetime) -> datetime | None:
        return self._jobs.first_due_after(after)

    # -- audit and outbox ----------------------------------------------------------------------

    def audit(self, instance_id: str) -> list[AuditEvent]:
        return audit_reads.audit(self._db, instance_id)

    def open_at(self, process_id: str, activity_ids: Collection[str]) -> list[str]:
        return listing.open_at(self._db, process_id, activity_ids)

    def correlated(self, keys: Mapping[str, Any]) -> list[str]:
        return listing.correlated(self._db, keys)

    def audit_events(self, query: AuditQuery) -> list[AuditEvent]:
        return audit_reads.audit_events(self._db, query)

    def activity_durations(
        self, process_id: str, since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, list[tuple[float, float, bool]]]:
        """Each completed activity instance's waiting and processing time (metrics_sql)."""
        versions, read = self.versions(process_id), partial(self.deployment, process_id)
        multi = multi_instance_activities(versions, read)
        return activity_durations(self._db, process_id, since, until, multi)

    def instance_stats(
        self, process_id: str, since: datetime | None = None, until: datetime | None = None
    ) -> InstanceStats:  # instance counts and cycle times (metrics_sql)
        return instance_stats(self._db, process_id, since, until)

    def user_stats(self, process_id: str) -> dict[str, tuple[int, int]]:
        """user -> (work completed, open items held) in ``process_id`` (metrics_sql)."""
        return user_stats(self._db, process_id)

    def verify_audit(self, instance_id: str | None = None) -> ChainReport:
        """Recompute the audit hash chains (of ``instance_id``); name what was tampered with."""
        if instance_id is not None:
            self.instance(instance_id)  # NotFoundError for an unknown id
        return verify_chains(self._db, instance_id)

    # -- commit ----------------------------------------------------------------------------------

    def take_history(self, inst: ProcessInstance) -> None:
        """Set aside, in the middle of a long command, the rows its commit will write of
        ``inst``'s history (see :meth:`~wfengine.runtime.sql.commit.StepWriter.set_aside`;
        the navigator calls this every :data:`~wfengine.runtime.navigation.agenda.TAKE_EVERY`
        steps)."""
        if self._unit.on_this_thread():
            self._writer.set_aside(self._unit, inst)

    def commit(self, step: Step) -> None:
        plan = StepPlan(step, self._unit, self._writer)
        self._db.write(lambda conn: self._writer.write(conn, plan), batched=True)
        plan.done()
        claimed = self._claimed
        if claimed:  # rows older than this commit: their jobs read their instances again
            written = step.instances
            for job_id in [k for k, r in claimed.items() if r["instance_id"] in written]:
                del claimed[job_id]
