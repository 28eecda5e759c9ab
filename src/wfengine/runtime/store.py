"""The Store protocol: where deployments, instances, work items, jobs and audit live.

The engine is a state-transition function over a store. Every command runs inside
:meth:`Store.unit` (a unit of work), loads what it needs, changes the records, and hands the
store one :class:`Step` to commit: the instances it touched (whose pending changes become
audit records), the work items created or changed, the timers set and cancelled, the jobs
added and the one job the command carried out, and the outbox entries (side effects to
perform after the commit, each with an idempotency key: :mod:`wfengine.runtime.outbox`).
Nothing here may call back into the engine.

Contract every store keeps (the behaviour suite runs against each):

* Inside one unit, :meth:`~Store.instance` and :meth:`~Store.work_item` return the *same*
  object for the same id (an identity map), so a subflow's parent and child seen twice in one
  command are one object each. Outside a unit every read is fresh.
* :meth:`~Store.commit` writes the whole step or nothing. It raises
  :class:`~wfengine.errors.ConcurrencyError` when an instance changed since it was loaded, or
  when ``step.job_done`` names a job that no longer exists (``step.job_again_at`` gives that
  job back due later instead of deleting it); the engine then retries the whole
  command in a new unit. It raises :class:`~wfengine.errors.StoreUnavailableError` when the
  database keeps failing. Either way nothing of the step is stored.
* When a unit ends by an exception, every record it handed out is forgotten (a SQL store
  reloads it next time), so a half-changed object never outlives a failed command.
* Jobs of an instance that is not running (suspended, not started) are neither due nor
  claimable; jobs of an instance that a step closes are deleted with that step.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from wfengine.errors import DeployError, NotFoundError
from wfengine.runtime.audit_query import AuditQuery
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.history import Payload, read_payload
from wfengine.runtime.ids import IdGenerator
from wfengine.runtime.instance import Incident, ProcessInstance, Timer, WorkItem
from wfengine.runtime.jobs import Job
from wfengine.runtime.outbox import OutboxEntry as OutboxEntry  # re-exported: steps hold them
from wfengine.runtime.outbox import OutboxRecord, OutboxStatus
from wfengine.runtime.snapshots import ActivityInstanceSnapshot, InstanceSummary
from wfengine.runtime.states import ProcessState, WorkItemState

if TYPE_CHECKING:  # (SQLAlchemy is loaded only by the SQL store)
    from sqlalchemy import Connection

_T = TypeVar("_T")

#: the kinds whose detail was once the bare work-item id (an offer; a completion that named
#: no user and wrote nothing): such a stored row still names its item
BARE_ITEM_KINDS = frozenset({"work_item.offered", "work_item.completed"})


def header_ids(detail: Any, kind: str | None = None) -> tuple[str | None, str | None]:
    """The user and the work item an audit event's detail names (each None when it names
    none): what the audit trail's ``user_id`` and ``work_item_id`` columns hold, and what
    ``audit verify`` holds them to. With ``kind``, a detail of one of
    :data:`BARE_ITEM_KINDS` that is a bare id (rows written before those details were
    objects) names that item, so an old trail still says which item an event is about."""
    if type(detail) is not dict:
        if type(detail) is str and kind in BARE_ITEM_KINDS:
            return None, detail
        return None, None
    user, item = detail.get("user"), detail.get("work_item")
    return (user if type(user) is str else None, item if type(item) is str else None)


class AuditEvent(NamedTuple):
    """One append-only audit record (TC-1015 common part, reduced).

    ``seq`` numbers the events of one instance from 1, in the order they happened.
    """

    seq: int
    at: datetime
    instance_id: str
    kind: str
    activity_instance_id: str | None
    activity_id: str | None
    detail: Any
    #: the instance's process (None only on rows written before the audit header had it)
    process_id: str | None = None

    @property
    def user(self) -> str | None:
        """Who acted, when a person did (the ``user`` of a work-item event or a refusal)."""
        return header_ids(self.detail, self.kind)[0]

    @property
    def work_item_id(self) -> str | None:
        """The work item the event is about, if any."""
        return header_ids(self.detail, self.kind)[1]

    @property
    def payload(self) -> Payload | None:
        """The detail read back as its catalogue type (None for the kinds that carry none):
        see :mod:`wfengine.runtime.history`."""
        return read_payload(self.kind, self.detail)


#: an instance read for an export (:meth:`Store.loaded_instances`): the instance, or why its
#: stored version cannot be loaded (a version that no longer compiles fails only what needs it)
Loaded = ProcessInstance | DeployError


class TrailReads:
    """Reads of many instances at once (:meth:`Store.audit_trails`,
    :meth:`Store.loaded_instances`), here one instance at a time through the store's own
    reads: what a store whose reads cost no round trip (the memory store) needs. The SQL
    store reads each page with one statement instead."""

    def audit_trails(self, instance_ids: Sequence[str]) -> dict[str, list[AuditEvent]]:
        """See :meth:`Store.audit_trails`."""
        store: Any = self
        found = {iid: store.audit_events(AuditQuery(instance_id=iid)) for iid in instance_ids}
        return {iid: events for iid, events in found.items() if events}

    def loaded_instances(self, instance_ids: Sequence[str]) -> dict[str, Loaded]:
        """See :meth:`Store.loaded_instances`."""
        store: Any = self
        found: dict[str, Loaded] = {}
        for iid in instance_ids:
            try:
                found[iid] = store.instance(iid)
            except DeployError as exc:
                found[iid] = exc
            except NotFoundError:
                continue
        return found


@dataclass(slots=True, eq=False)
class Step:
    """Everything one engine command changed, committed together."""

    instances: dict[str, ProcessInstance] = field(default_factory=dict)
    work_items: list[WorkItem] = field(default_factory=list)
    timers_set: list[Timer] = field(default_factory=list)
    timers_cancelled: list[str] = field(default_factory=list)
    outbox: list[OutboxEntry] = field(default_factory=list)
    #: jobs added by the step (``continue`` jobs; timers go in ``timers_set``)
    jobs: list[Job] = field(default_factory=list)
    #: the job this step carried out: deleted with the step, and it must still exist
    job_done: str | None = None
    #: instead of deleting ``job_done``, give it back (lease freed) due again at this moment:
    #: a failed asynchronous application call retried with backoff, in the same transaction
    #: as the audit of the failed attempt
    job_again_at: datetime | None = None


class Store(Protocol):
    """Where an engine keeps deployments, instances, work items, jobs, audit and outbox.

    The engine is the store's only writer: every command runs inside :meth:`unit` and ends
    with one :meth:`commit` of a :class:`Step` (the instance documents, audit events, work
    items, jobs and outbox entries it changed), applied all together or not at all. A store
    that finds an instance changed by another engine since this unit read it raises
    :class:`~wfengine.errors.ConcurrencyError`, and the engine runs the command again. Reads
    return the runtime's own records; how they are kept (objects, rows, a document format)
    stays inside the store.

    Two stores ship: :class:`~wfengine.runtime.memory_store.MemoryStore` and
    :class:`~wfengine.runtime.sql.store.SqlStore`. The differential property test
    (``tests/runtime/test_sql_properties.py``) holds them to the same answers, so a host may
    write its own store against this protocol and test it the same way.
    """

    # -- units of work -----------------------------------------------------------------------

    def unit(self) -> AbstractContextManager[object]:
        """One engine command: an identity map for its reads, forgotten when it ends.

        Re-entrant: a unit opened inside another joins it.
        """
        ...

    def id_generator(self) -> IdGenerator:
        """Ids unique in this store (across restarts and, for SQL, across processes)."""
        ...

    def transaction(self, fn: Callable[[Connection], _T], *, write: bool = True) -> _T:
        """Run ``fn(conn)`` as one transaction of the store's database, with its fault
        handling (a transient failure runs ``fn`` again on a new connection), and return what
        it returns: a host's own tables beside the engine's (``engine.store.transaction(fn)``);
        ``write=False``, a read of several statements that sees one snapshot. A store with no
        database (the memory store) raises :class:`~wfengine.errors.StoreError` saying so.
        Why on the protocol: ``engine.store`` is typed :class:`Store`, and a host calling it
        as the README says failed the type check."""
        ...

    def close(self) -> None:
        """Release connections; the store is not used afterwards."""
        ...

    # -- deployments -------------------------------------------------------------------------

    def add_deployments(self, deployed: Sequence[DeployedProcess]) -> None:
        """Register new versions, all or none."""
        ...

    def deployment(self, process_id: str, version: int | None = None) -> DeployedProcess | None:
        """One version (the latest when ``version`` is None); None when there is no such one."""
        ...

    def versions(self, process_id: str) -> list[int]:
        """The deployed versions of ``process_id``, ascending (empty when never deployed)."""
        ...

    def deployed_process_ids(self) -> list[str]: ...

    def deployed_versions(self) -> dict[str, list[int]]:
        """Every deployed process's versions, ascending, by process in
        :meth:`deployed_process_ids` order: one read for what a signal broadcast looks
        through (a query per process on a SQL store, 400 a broadcast with 400 processes)."""
        ...

    # -- instances ---------------------------------------------------------------------------

    def instance(self, instance_id: str) -> ProcessInstance:
        """The instance; raises :class:`~wfengine.errors.NotFoundError`."""
        ...

    def instances(
        self, *, state: ProcessState | None = None, process_id: str | None = None
    ) -> Iterable[ProcessInstance]:
        """Instances in creation order, optionally only those in ``state`` / of ``process_id``;
        one on a stored version that no longer compiles is left out (a warning names it)."""
        ...

    def instance_summaries(
        self,
        *,
        state: ProcessState | None = None,
        process_id: str | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> list[InstanceSummary]:
        """What :meth:`instances` would list, as summaries read without loading any instance
        (a SQL store reads the ``process_instances`` columns only, never the blobs); a page
        of at most ``limit``, continuing after the instance ``after`` (keyset paging in the
        listing order: raises :class:`~wfengine.errors.NotFoundError` for an unknown id)."""
        ...

    def instance_summary(self, instance_id: str) -> InstanceSummary:
        """One instance's summary, read without loading the instance (a SQL store reads its
        row's columns, never the blob); raises :class:`~wfengine.errors.NotFoundError`."""
        ...

    def activity_history(self, instance_id: str) -> list[ActivityInstanceSnapshot]:
        """The closed activity instances commits took out of the instance
        (:func:`~wfengine.runtime.instance.retire`), in creation order. A store may list
        activity instances the instance still holds too (the SQL store's mirror rows):
        the instance's own records win over them."""
        ...

    def trace(self, instance_id: str) -> list[str]:
        """The instance's whole trace (activity ids in completion order): the entries its
        commits took out of it (all, or once there are many), then those it still holds; raises
        :class:`~wfengine.errors.NotFoundError`."""
        ...

    # -- incidents ---------------------------------------------------------------------------

    def open_incidents(self, instance_id: str | None = None) -> list[Incident]:
        """Unresolved incidents in creation order, of one instance or of all, found without
        loading every instance. Treat them as read-only: to act on one, load its instance
        (:meth:`incident_instance_id`) and use the instance's own record."""
        ...

    def incident_instance_id(self, incident_id: str) -> str | None:
        """The instance holding the incident (open or resolved); None when there is none."""
        ...

    # -- work items and timers ---------------------------------------------------------------

    def work_item(self, work_item_id: str) -> WorkItem:
        """The work item; raises :class:`~wfengine.errors.NotFoundError`."""
        ...

    def open_work_items(self, instance_id: str | None = None) -> list[WorkItem]:
        """Open work items in creation order, of one instance or of all. Raises
        :class:`~wfengine.errors.NotFoundError` for an instance that does not exist (a SQL
        store learns it from the same statement)."""
        ...

    def suspended_among(self, instance_ids: Collection[str]) -> set[str]:
        """Which of ``instance_ids`` are suspended instances (one that does not exist is
        not), for the marks of a work item listing (:mod:`~wfengine.runtime.work_item_marks`).
        A SQL store answers from the states its item read just returned with the items (the
        same statement: the marks cost none), reading only the states it did not see. Optional:
        a host's store written before it is asked :meth:`instance_summary` per instance
        (:data:`OPTIONAL_METHODS`)."""
        ...

    def worklist(
        self,
        user: str,
        *,
        state: WorkItemState | None = None,
        process_id: str | None = None,
        after: tuple[datetime, str] | None = None,
        limit: int | None = None,
    ) -> list[WorkItem]:
        """The open items offered to ``user`` (unclaimed) or held by ``user``, in
        ``(created_at, id)`` order after the key ``after``, at most ``limit``; of one
        ``state`` or process only when given. An index look-up on a SQL store (a user's
        first page does not read the other users' items)."""
        ...

    def timers(self, instance_id: str | None = None) -> list[Timer]:
        """Pending deadline timers in (due, creation) order."""
        ...

    # -- jobs --------------------------------------------------------------------------------

    def job(self, job_id: str) -> Job | None: ...

    def jobs(self, instance_id: str | None = None) -> list[Job]:
        """Every job (timers included), in (due, creation) order."""
        ...

    def last_job_seq(self) -> int:
        """The highest ``seq`` of a stored job, 0 when there is none: an engine opened on a
        store numbers its new jobs after it, so that jobs due at the same instant run in the
        order they were made across a restart too."""
        ...

    def claim_jobs(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Sequence[str] | None = None,
        instances: Collection[str] | None = None,
    ) -> list[Job]:
        """Lease up to ``limit`` due jobs of running instances to ``owner``, in due order
        (only of ``kinds``, of ``instances``, when given).

        A job is claimable when it is due (``due <= now``) and its lease is free or expired
        (``lock_expires_at <= now``); a job already leased to ``owner`` is claimable again.
        Each claim counts in ``attempts`` (undone by a release with no ``due``).
        """
        ...

    def renew_leases(self, owner: str, job_ids: Iterable[str], lease_until: datetime) -> list[str]:
        """Extend ``owner``'s leases; returns the ids it still held (the others were lost)."""
        ...

    def release_job(self, job_id: str, owner: str, due: datetime | None = None) -> None:
        """Give a claimed job back (optionally due later, as a back-off); no-op if lost.
        Given back with no ``due``, the job was not run: the claim's count in ``attempts``
        is undone; with ``due`` (a back-off after a run that began) it stays."""
        ...

    def has_due_jobs(self, now: datetime, *, leased: bool = False) -> bool:
        """Is any job claimable at ``now``? With ``leased``: is any job due at ``now`` at
        all, claimed or not (of a running instance)."""
        ...

    def next_due_at(self) -> datetime | None:
        """The earliest moment a job of a running instance may become claimable, or None."""
        ...

    def first_due_after(self, after: datetime) -> datetime | None:
        """The earliest due time later than ``after`` of any job, claimable or not (where a
        virtual clock moving on from ``after`` stops next), or None: read past the jobs due
        by ``after`` only, not every pending job."""
        ...

    # -- audit and outbox --------------------------------------------------------------------

    def audit(self, instance_id: str) -> list[AuditEvent]: ...

    def open_at(self, process_id: str, activity_ids: Collection[str]) -> list[str]:
        """The instances of ``process_id`` with an open instance of one of ``activity_ids``
        (an index range on the SQL store), in creation order."""
        ...

    def correlated(self, keys: Mapping[str, Any]) -> list[str]:
        """The open instances whose correlation keys (``wfengine:correlation``) hold all of
        ``keys``' values, in creation order (an index lookup on the SQL store)."""
        ...

    def audit_events(self, query: AuditQuery) -> list[AuditEvent]:
        """The events ``query`` selects across instances, in :func:`audit_query.key` order,
        each with its ``process_id``."""
        ...

    def audit_trails(self, instance_ids: Sequence[str]) -> dict[str, list[AuditEvent]]:
        """The whole trail of each of ``instance_ids`` that has events, each in its
        :func:`audit_query.key` order (what ``audit_events(instance_id=...)`` gives), read
        together: an export of many instances (XES, one trace per instance) reads a page of
        them at once, not one round trip per instance."""
        ...

    def loaded_instances(self, instance_ids: Sequence[str]) -> dict[str, Loaded]:
        """Each of ``instance_ids`` that exists as :meth:`instance` loads it (or the
        :class:`~wfengine.errors.DeployError` loading it raised), read together, for the same
        reason as :meth:`audit_trails`."""
        ...

    # -- outbox (see :mod:`wfengine.runtime.outbox_delivery`) -----------------------------------
    #
    # A committed step's entries are pending, due at once (``next_attempt_at`` is when their
    # change happened), numbered by ``id`` in commit order. Claims are leases, as for jobs.

    def claim_outbox(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Collection[str] | None = None,
    ) -> list[OutboxRecord]:
        """Lease up to ``limit`` due pending entries (of ``kinds`` only, unless None) to
        ``owner``, in id order; each claim counts in ``attempts``. An entry is due when its
        ``next_attempt_at <= now`` and its lease is free or expired. Atomic against other
        claimants: two never hold the same entry."""
        ...

    def renew_outbox(
        self, entry_ids: Collection[int], owner: str, lease_until: datetime
    ) -> set[int] | None:
        """Extend ``owner``'s lease of the pending entries ``entry_ids`` (a claimed batch's
        rest, while slow handlers deliver it) to ``lease_until``; the ids it still held, or
        None when this store cannot renew (the deliverer then keeps to its first lease)."""
        ...

    def skip_outbox(self, now: datetime, keep: Collection[str]) -> int:
        """Settle every due, unleased pending entry whose kind is not in ``keep`` as
        :attr:`~OutboxStatus.SKIPPED` at ``now`` (no handler wants it); returns how many."""
        ...

    def settle_outbox(
        self,
        entry_id: int,
        owner: str,
        now: datetime,
        *,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Record a delivery of a claimed entry: delivered (no ``error``), due again at
        ``retry_at`` (lease freed), or failed for good (``error`` without ``retry_at``). A
        failure of an entry ``owner`` no longer holds is not recorded (another claimant took it
        over); a delivery always is."""
        ...

    def prune_outbox(self, before: datetime) -> int:
        """Delete delivered and skipped entries settled before ``before``; returns how many."""
        ...

    def outbox_entries(
        self,
        status: OutboxStatus | None = None,
        *,
        instance_id: str | None = None,
        limit: int | None = None,
    ) -> list[OutboxRecord]:
        """Stored entries in id order, optionally of one status or instance, at most ``limit``."""
        ...

    def retry_outbox(self, entry_ids: Collection[int] | None, now: datetime) -> int:
        """Make failed entries (those of ``entry_ids``, or all) pending again, due at ``now``
        with their attempts counted from 0; returns how many."""
        ...

    def next_outbox_at(self, *, leased: bool = False) -> datetime | None:
        """When the next pending entry can be claimed (its attempt due and its lease expired),
        None when none is pending. ``leased``: when the next is due, leased or not."""
        ...

    def commit(self, step: Step) -> None: ...


#: methods of :class:`Store` a host's own store may lack (they came after stores were written
#: to the protocol): the engine does without them, more slowly; ``transaction`` the engine
#: never calls (a host's tables beside a SQL store's: the host calls it)
OPTIONAL_METHODS = frozenset({"suspended_among", "transaction"})
