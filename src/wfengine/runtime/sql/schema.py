"""The tables of the SQL store (SQLAlchemy Core), and the revision this code needs.

Source of truth for a running instance is its ``process_instances`` row: the columns hold what
queries filter on, ``state_blob`` the navigator's records (scopes, tokens, activity instances,
incidents, ...; a JSON document with a format version, see
:mod:`~wfengine.runtime.sql.serialize`), and ``version`` counts writes for optimistic
concurrency (the *row version*, ``row_version`` in the code, not to be confused with
``definition_version``). ``activity_instances``, ``tokens`` and ``incidents`` are
mirrors written in the same transaction (``activity_instances`` and ``trace_entries`` also hold
the history a commit takes out of the document), for queries and reports that must not unpack blobs
(listing the open incidents of a database reads one small table, not every instance). ``jobs`` holds
timers and deferred work with their leases; ``outbox`` the entries to deliver after their commit,
with their delivery state and leases.

The schema is created and changed only by the Alembic revisions in ``migrations/versions``;
``SCHEMA_REVISION`` names the newest one this code needs. A test checks that the migrated
database matches this metadata exactly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from wfengine.runtime.clock import require_aware
from wfengine.runtime.states import WorkItemState

#: the Alembic revision the code needs (the head of migrations/versions)
SCHEMA_REVISION = "0026"


def utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive datetime is refused (the engine stores aware ones only)."""
    if value.tzinfo is UTC:
        return value
    return require_aware(value).astimezone(UTC)


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every dialect.

    SQLite has no time zones, so values are stored there as naive UTC text, which also sorts
    correctly for the job queries; PostgreSQL gets ``timestamptz``.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()

ID = sa.String(200)

deployments = sa.Table(
    "deployments",
    metadata,
    sa.Column("process_id", ID, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("package_id", ID, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("xpdl", sa.Text, nullable=False),
    sa.Column("xpdl_sha256", sa.String(64), nullable=False),
    sa.Column("deployed_at", UtcDateTime, nullable=False),
    #: the package's model as JSON, read instead of the XPDL when ``model_format`` is the
    #: running model's (``wfengine.definition.model_format``); None before migration 0013
    sa.Column("model", sa.Text),
    sa.Column("model_format", sa.Integer),
    #: stored by a wfengine that let a person's completion write any field, as its
    #: activities keep doing (``wfengine.runtime.compile_people.writing_as_deployed``;
    #: set by migration 0023)
    sa.Column("writes_any_field", sa.Boolean, nullable=False, server_default=sa.false()),
    #: stored before the expressions' readings changed (migration 0026): its texts read as
    #: the wfengine that deployed it read them (``wfengine.expressions.stored_reading``)
    sa.Column("reads_expressions_as_before", sa.Boolean, nullable=False, server_default=sa.false()),
)

process_instances = sa.Table(
    "process_instances",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("process_id", ID, nullable=False),
    sa.Column("definition_version", sa.Integer, nullable=False),
    sa.Column("state", sa.String(40), nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    #: the row version (optimistic concurrency): every write is
    #: UPDATE ... WHERE version = <the row version read>
    sa.Column("version", sa.Integer, nullable=False),
    #: the seq of the instance's last audit event
    sa.Column("audit_seq", sa.Integer, nullable=False),
    #: the hash of the instance's last audit event (the head of its chain:
    #: wfengine.runtime.audit_chain); None before its first hashed event
    sa.Column("audit_head", sa.String(64)),
    sa.Column("parent_instance_id", ID),
    sa.Column("parent_activity_instance_id", ID),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("started_at", UtcDateTime),
    sa.Column("completed_at", UtcDateTime),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("state_blob", sa.JSON, nullable=False),
)
#: the listing order (creation time, then ids by length and text: pi-2 before pi-10), so a
#: page of a listing, and the page after a given instance, is one index range; also after a
#: state or a process (migration 0017), which serve every query on those columns
_LISTING = (
    process_instances.c.created_at,
    sa.func.length(process_instances.c.id),
    process_instances.c.id,
)
sa.Index("ix_process_instances_listing", *_LISTING)
sa.Index("ix_process_instances_state_listing", process_instances.c.state, *_LISTING)
sa.Index("ix_process_instances_process_listing", process_instances.c.process_id, *_LISTING)


def _only_set(column: str) -> dict[str, Any]:
    """The options of an index on ``column`` that leaves out the rows where it is NULL (both
    databases index NULLs otherwise). For a column that is NULL on most rows (an audit event's
    user, an outbox entry's settling time while it is pending, a job's lease while it is
    free): a commit's inserts need not touch the index, and every query that uses
    it compares the column with a value, which implies it is set."""
    where = sa.text(f"{column} IS NOT NULL")
    return {"sqlite_where": where, "postgresql_where": where}


#: the states of a work item someone holds (claimed, delegated or reassigned to them, and
#: not yet done)
HELD_ITEM_STATES = (WorkItemState.ALLOCATED.value, WorkItemState.STARTED.value)


def held_state(state: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
    """``state`` is one a holder has, written out in the statement as ``ix_work_items_held``
    says it: a database reads a partial index only where the query's WHERE implies the
    index's, which neither proves from an IN of bound parameters (SQLite; PostgreSQL's
    generic plans) nor, on SQLite, from an equality with one of the states."""
    return state.in_([sa.literal_column(f"'{s}'") for s in HELD_ITEM_STATES])


_HELD_ROWS = sa.text(
    "holder IS NOT NULL AND state IN (" + ", ".join(f"'{s}'" for s in HELD_ITEM_STATES) + ")"
)


def _instance_fk() -> sa.ForeignKey:
    return sa.ForeignKey("process_instances.id", ondelete="CASCADE")


activity_instances = sa.Table(
    "activity_instances",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, _instance_fk(), nullable=False),
    sa.Column("activity_id", ID, nullable=False),
    sa.Column("state", sa.String(40), nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=False),
    sa.Column("completed_at", UtcDateTime),
    #: when a person's work on it began after it was created (None: at its creation), and
    #: whether a deadline fired on it: what the metrics query reads instead of the events
    sa.Column("running_at", UtcDateTime),
    sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
    #: the instance's process (so the metrics select a process's rows without a join) and
    #: who completed its work item
    sa.Column("process_id", ID),
    sa.Column("performer", ID),
    #: the rest of its snapshot: a closed activity instance leaves the instance's document
    #: (``instance.retire``) and is read from here (``SqlStore.activity_history``)
    sa.Column("iterations", sa.Integer, nullable=False, server_default="0"),
    sa.Column("mi_index", sa.Integer),
    sa.Column("work_item_id", ID),
    sa.Column("subflow_instance_id", ID),
    sa.Column("incident_id", ID),
    #: a multi-instance activity's instance: its container (the row whose deadlines it has)
    sa.Column("mi_parent_id", ID),
    sa.Index("ix_activity_instances_instance_id", "instance_id"),
    sa.Index("ix_activity_instances_process_id", "process_id"),
)

#: an instance's trace (activity ids in completion order) as its commits took it out of its
#: document; ``position`` counts from 0 per instance
trace_entries = sa.Table(
    "trace_entries",
    metadata,
    sa.Column("instance_id", ID, _instance_fk(), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("activity_id", ID, nullable=False),
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("instance_id", ID, _instance_fk(), primary_key=True),
    sa.Column("scope_id", sa.Integer, primary_key=True),
    sa.Column("activity_id", ID, primary_key=True),
    sa.Column("slot", sa.Integer, primary_key=True),
    sa.Column("transition_id", ID, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("block_activity_instance_id", ID),
)

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, _instance_fk(), nullable=False),
    sa.Column("activity_instance_id", ID),
    sa.Column("activity_id", ID),
    sa.Column("application_id", ID),
    sa.Column("operation", sa.String(20), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("resolved", sa.Boolean, nullable=False),
    sa.Index("ix_incidents_instance_id", "instance_id"),
    sa.Index("ix_incidents_resolved", "resolved"),
)

work_items = sa.Table(
    "work_items",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, _instance_fk(), nullable=False),
    sa.Column("activity_instance_id", ID, nullable=False),
    sa.Column("activity_id", ID, nullable=False),
    sa.Column("performers", sa.JSON, nullable=False),
    sa.Column("assignees", sa.JSON, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("completed_at", UtcDateTime),
    sa.Column("mi_index", sa.Integer),
    #: who has the item (claimed, delegated or reassigned to), NULL while only offered
    sa.Column("holder", ID),
    #: who delegated it and stays responsible
    sa.Column("owner", ID),
    sa.Column("started_at", UtcDateTime),
    # an instance's open items: both columns, so the planner need not choose between the
    # instance and the (much less selective) state
    sa.Index("ix_work_items_instance_state", "instance_id", "state"),
    sa.Index("ix_work_items_state", "state"),
    # a user's held items in worklist order (migration 0024): only the open ones, so a page
    # is one range however many items the user completed (the holder stays set)
    sa.Index(
        "ix_work_items_held",
        "holder",
        "created_at",
        "id",
        sqlite_where=_HELD_ROWS,
        postgresql_where=_HELD_ROWS,
    ),
)

#: who an offered (unclaimed) work item is offered to: one row per assignee, kept only while
#: the item is offered, keyed for a user's worklist in creation order (an index range scan)
work_item_offers = sa.Table(
    "work_item_offers",
    metadata,
    sa.Column("user_id", ID, primary_key=True),
    sa.Column("created_at", UtcDateTime, primary_key=True),
    sa.Column("work_item_id", ID, primary_key=True),
    sa.Index("ix_work_item_offers_work_item_id", "work_item_id"),
)

jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("instance_id", ID, _instance_fk(), nullable=False),
    sa.Column("due_at", UtcDateTime, nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("lock_owner", sa.String(200)),
    sa.Column("lock_expires_at", UtcDateTime),
    sa.Column("payload", sa.JSON),
    sa.Column("idempotency_key", sa.String(300)),
    sa.Index("ix_jobs_due_at", "due_at"),
    sa.Index("ix_jobs_instance_id", "instance_id"),
    #: max(seq), read when an engine opens the database
    sa.Index("ix_jobs_seq", "seq"),
    #: the leased jobs by the end of their lease (the earliest due time's other half:
    #: ``JobQueue.next_due_at``); a job's lease is NULL unless a worker holds it
    sa.Index("ix_jobs_leased", "lock_expires_at", **_only_set("lock_expires_at")),
)

audit_events = sa.Table(
    "audit_events",
    metadata,
    sa.Column("instance_id", ID, _instance_fk(), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("activity_instance_id", ID),
    sa.Column("activity_id", ID),
    sa.Column("detail", sa.JSON),
    #: the WfMC common header's other parts, kept as columns so queries are index hits
    sa.Column("process_id", ID),
    sa.Column("user_id", ID),
    sa.Column("work_item_id", ID),
    #: this event's link in its instance's hash chain (None on rows written before it)
    sa.Column("hash", sa.String(64)),
    sa.Index("ix_audit_events_at", "at"),
    #: one instance's trail in audit order (at need not grow with seq: see migration 0017)
    sa.Index("ix_audit_events_instance_at", "instance_id", "at", "seq"),
    sa.Index("ix_audit_events_process_at", "process_id", "at"),
    sa.Index("ix_audit_events_user_at", "user_id", "at", **_only_set("user_id")),
    # no (kind, at) index: a command's events of several kinds would each rewrite a page of
    # it per commit (migration 0015); a kind filter reads through the time index
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    #: the idempotency key, unique per change (see wfengine.runtime.outbox)
    sa.Column("key", sa.String(300), nullable=False),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("instance_id", ID, nullable=False),
    sa.Column("payload", sa.JSON),
    #: when the change happened (the command's clock)
    sa.Column("created_at", UtcDateTime, nullable=False),
    #: pending, delivered, skipped or failed (OutboxStatus)
    sa.Column("status", sa.String(20), nullable=False),
    #: deliveries begun (claims)
    sa.Column("attempts", sa.Integer, nullable=False),
    #: when a pending entry is due; NULL once settled, so its index holds only pending rows
    sa.Column("next_attempt_at", UtcDateTime),
    sa.Column("lock_owner", sa.String(200)),
    sa.Column("lock_expires_at", UtcDateTime),
    sa.Column("last_error", sa.Text),
    #: when it was delivered, skipped or given up on (delivered and skipped rows are pruned
    #: by this)
    sa.Column("settled_at", UtcDateTime),
    sa.Index("ix_outbox_next_attempt_at", "next_attempt_at", **_only_set("next_attempt_at")),
    #: the pending entries in id order, the order a claim takes them in (migration 0018)
    sa.Index(
        "ix_outbox_pending",
        "id",
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    ),
    sa.Index("ix_outbox_settled_at", "settled_at", **_only_set("settled_at")),
)

id_blocks = sa.Table(
    "id_blocks",
    metadata,
    sa.Column("kind", sa.String(40), primary_key=True),
    #: the last id number handed out in a block, per kind
    sa.Column("next_value", sa.BigInteger, nullable=False),
)

# The organisation (``wfengine org load``): users, units, roles, who belongs where, admins.
# Written whole by one transaction (see :mod:`wfengine.worklist.org_store`).

org_users = sa.Table(
    "org_users",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("email", sa.Text),
    sa.Column("phone", sa.Text),
)

org_units = sa.Table(
    "org_units",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("supervisor", ID),
    sa.Column("parent", ID),
)

org_roles = sa.Table(
    "org_roles",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text),
)

org_memberships = sa.Table(
    "org_memberships",
    metadata,
    sa.Column("user_id", ID, primary_key=True),
    #: ``role`` or ``unit``
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("group_id", ID, primary_key=True),
    #: the order of the user's roles and units in the file
    sa.Column("position", sa.Integer, nullable=False),
)

org_admins = sa.Table(
    "org_admins",
    metadata,
    sa.Column("user_id", ID, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

# Comments and attachments on instances and work items (see wfengine.worklist.notes); the
# attachments' contents are in ``blobs``, behind the notes' blob-store protocol.

comments = sa.Table(
    "comments",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, _instance_fk(), nullable=False),
    sa.Column("work_item_id", ID),
    sa.Column("author", ID, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Index("ix_comments_instance_id", "instance_id"),
)

attachments = sa.Table(
    "attachments",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, _instance_fk(), nullable=False),
    sa.Column("work_item_id", ID),
    sa.Column("author", ID, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("content_type", sa.String(200), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("blob_key", ID, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Index("ix_attachments_instance_id", "instance_id"),
)

#: the values of an open instance's correlation keys (the fields its process names in
#: ``wfengine:correlation``), so a message correlated by key finds it with an index lookup
#: on the key and the value's digest (migration 0025): a key field holds text of any length,
#: and a PostgreSQL index entry at most ~2,700 bytes, so the value itself is not indexed
correlation_keys = sa.Table(
    "correlation_keys",
    metadata,
    sa.Column("instance_id", ID, _instance_fk(), primary_key=True),
    sa.Column("key", ID, primary_key=True),
    #: the value as canonical JSON text
    sa.Column("value", sa.Text, nullable=False),
    #: sha256 of ``value`` (hex; :func:`~wfengine.runtime.sql.rows.correlation_digest`)
    sa.Column("value_sha256", sa.String(64), nullable=False),
    sa.Index("ix_correlation_keys_key_digest", "key", "value_sha256"),
)

blobs = sa.Table(
    "blobs",
    metadata,
    sa.Column("key", ID, primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

#: every table of the store, parents before children (for truncating and copying)
TABLES = (
    deployments,
    process_instances,
    activity_instances,
    trace_entries,
    tokens,
    incidents,
    work_items,
    work_item_offers,
    jobs,
    audit_events,
    correlation_keys,
    outbox,
    id_blocks,
    org_users,
    org_units,
    org_roles,
    org_memberships,
    org_admins,
    comments,
    attachments,
    blobs,
)
