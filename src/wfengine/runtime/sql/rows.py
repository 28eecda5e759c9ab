"""Runtime records and table rows, both ways: each mapping is written here once.

Reads turn rows into records with the functions named for the record (:func:`work_item`,
:func:`job`, ...); the commit turns records into rows with the ``*_row(s)`` functions. What is
not a column of ``process_instances`` (scopes, tokens, activity instances, incidents, trace,
parked work) lives in the instance document (:mod:`~wfengine.runtime.sql.serialize`, with its
format history in :mod:`~wfengine.runtime.sql.document_format`); the activity, token and
incident tables mirror parts of it for queries that must not unpack documents.

A row holds the store's bookkeeping next to the record: ``process_instances.version`` is the
row version (how many times the row was written, for optimistic concurrency), ``audit_seq``
the number of audit events stored so far. Records never carry either; the unit of work keeps
them (:mod:`~wfengine.runtime.sql.unit`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from wfengine.errors import NotFoundError, StoreError
from wfengine.runtime.compiler import CompiledProcess
from wfengine.runtime.instance import ActivityInstance, Incident, ProcessInstance, WorkItem
from wfengine.runtime.jobs import Job
from wfengine.runtime.outbox import OutboxEntry, OutboxKind, OutboxRecord, OutboxStatus
from wfengine.runtime.snapshots import ActivityInstanceSnapshot, InstanceSummary
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.document_format import current_document
from wfengine.runtime.sql.serialize import (
    decode_value,
    encode_data,
    encode_value,
    instance_document,
    load_instance,
)
from wfengine.runtime.sql.undecoded import each_readable
from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState
from wfengine.runtime.values import correlation_forms as correlation_forms
from wfengine.runtime.values import correlation_value as correlation_value

_log = logging.getLogger("wfengine.store")
_T = TypeVar("_T")
#: a row as SQLAlchemy hands it out (``RowMapping``) or as the commit builds it
Row = Mapping[Any, Any]
#: what reading a row that does not hold what the engine writes raises (see :func:`readable`):
#: a document that is JSON but not what the engine wrote (a list where an object belongs)
#: raises AttributeError
UNREADABLE = (ValueError, TypeError, KeyError, AttributeError)

# --------------------------------------------------------------------------- instances

_p = t.process_instances
#: the columns an :class:`InstanceSummary` is made of (a listing reads only these)
SUMMARY_COLUMNS = (
    _p.c.id,
    _p.c.process_id,
    _p.c.definition_version,
    _p.c.state,
    _p.c.created_at,
    _p.c.started_at,
    _p.c.completed_at,
    _p.c.parent_instance_id,
    _p.c.parent_activity_instance_id,
)


def instance_row(
    inst: ProcessInstance,
    *,
    row_version: int,
    audit_seq: int,
    audit_head: str | None,
    updated_at: datetime,
) -> dict[str, Any]:
    """The ``process_instances`` row of ``inst`` as its ``row_version``-th write, with
    ``audit_seq`` audit events stored. (Its incidents' messages are storable as they are
    made: :func:`~wfengine.runtime.stored_text.storable_text` in ``Incidents._incident``.)"""
    return {
        "id": inst.id,
        "process_id": inst.process_id,
        "definition_version": inst.version,
        "state": inst.state.value,
        "data": encode_data(inst.data, inst.id),
        "version": row_version,
        "audit_seq": audit_seq,
        "audit_head": audit_head,
        "parent_instance_id": inst.parent_instance,
        "parent_activity_instance_id": inst.parent_activity_instance,
        "created_at": inst.created_at,
        "started_at": inst.started_at,
        "completed_at": inst.completed_at,
        "updated_at": updated_at,
        "state_blob": instance_document(inst),
    }


def instance(row: Row, compiled: CompiledProcess) -> ProcessInstance:
    """The instance a ``process_instances`` row holds, on its deployment's ``compiled`` graph
    (a document of an older format is brought up to the current one first)."""
    return readable(
        row["id"],
        lambda: load_instance(row, current_document(row["state_blob"], row["id"]), compiled),
    )


def readable(instance_id: str, read: Callable[[], _T]) -> _T:
    """``read()`` of instance ``instance_id``'s row: a row that cannot be read (a column or
    document edited by hand that is not JSON, or lacks what an instance has) is a
    :class:`~wfengine.errors.StoreError` naming the instance, not a decoder's traceback. An
    id the driver cannot encode (a lone surrogate: a command line's byte that is not UTF-8)
    is no row's: :class:`~wfengine.errors.NotFoundError`, as the memory store says, not a
    row "that cannot be read", which reads as a damaged database."""
    try:
        return read()
    except UnicodeEncodeError:
        raise NotFoundError("process instance", instance_id) from None
    except UNREADABLE as exc:
        raise StoreError(
            f"process instance {instance_id!r}: its row cannot be read ({exc})"
        ) from exc


def row_version(row: Row) -> int:
    """The row's optimistic-concurrency counter (the ``version`` column)."""
    value = row["version"]
    assert isinstance(value, int)
    return value


def summary(row: Row) -> InstanceSummary:
    """A ``process_instances`` row as a summary; ``ValueError``/``TypeError`` when a column
    does not hold what the engine writes there."""
    for column in ("id", "process_id"):
        if not isinstance(row[column], str):
            raise TypeError(f"{column} is {row[column]!r}, not text")
    if not isinstance(row["definition_version"], int):
        raise TypeError(f"definition_version is {row['definition_version']!r}, not an integer")
    return InstanceSummary(
        id=row["id"],
        process_id=row["process_id"],
        version=row["definition_version"],
        state=ProcessState(row["state"]),
        created_at=row["created_at"],
        started_at=row["started_at"],
        completed_at=row["completed_at"],
        parent_instance_id=row["parent_instance_id"],
        parent_activity_instance_id=row["parent_activity_instance_id"],
    )


def summaries(rows: Iterable[Row]) -> list[InstanceSummary]:
    """The summaries of ``rows``, leaving out (and logging) rows that cannot be one."""
    found: list[InstanceSummary] = []
    for row in rows:
        try:
            found.append(summary(row))
        except (ValueError, TypeError) as exc:
            skipped(row["id"], exc)
    return found


def skipped(instance_id: object, exc: Exception) -> None:
    """Log a row a listing leaves out: a tampered or foreign row must not hide the others."""
    _log.warning(
        "skipped the process_instances row with id %r: it cannot be read as an instance (%s)",
        instance_id,
        exc,
    )


# --------------------------------------------------------------------------- mirrors


def activity_rows(inst: ProcessInstance, ais: Iterable[ActivityInstance]) -> list[dict[str, Any]]:
    """``activity_instances`` rows of the activity instances ``ais`` of ``inst``."""
    return [
        {
            "id": ai.id,
            "instance_id": inst.id,
            "activity_id": ai.act.id,
            "state": ai.state.value,
            "started_at": ai.started_at,
            "completed_at": ai.completed_at,
            "running_at": ai.running_at,
            "late": ai.late,
            "process_id": inst.process_id,
            "performer": ai.performer,
            "iterations": ai.iterations,
            "mi_index": ai.mi_index,
            "mi_parent_id": ai.mi_parent.id if ai.mi_parent is not None else None,
            "work_item_id": ai.work_item,
            "subflow_instance_id": ai.child_instance,
            "incident_id": ai.incident,
        }
        for ai in ais
    ]


def activity_snapshot(row: Row) -> ActivityInstanceSnapshot:
    """An activity instance as its row holds it (a closed one: it waits for nothing);
    ``TypeError`` when a time is not one."""
    for column in ("started_at", "completed_at"):
        if row[column] is not None and not isinstance(row[column], datetime):
            raise TypeError(f"{column} is {row[column]!r}, not a time")
    return ActivityInstanceSnapshot(
        id=row["id"],
        instance_id=row["instance_id"],
        activity_id=row["activity_id"],
        state=ActivityState(row["state"]),
        started_at=row["started_at"],
        completed_at=row["completed_at"],
        iterations=row["iterations"],
        mi_index=row["mi_index"],
        work_item_id=row["work_item_id"],
        subflow_instance_id=row["subflow_instance_id"],
        incident_id=row["incident_id"],
        performer=row["performer"],
        mi_parent_id=row["mi_parent_id"],
    )


def trace_rows(inst: ProcessInstance) -> list[dict[str, Any]]:
    """``trace_entries`` rows of the trace entries ``inst`` holds (after those stored)."""
    base = inst.trace_base
    return [
        {"instance_id": inst.id, "position": base + n, "activity_id": activity_id}
        for n, activity_id in enumerate(inst.trace)
    ]


def token_key(token_rows: list[dict[str, Any]]) -> tuple[tuple[Any, ...], ...]:
    """``token_rows`` in a comparable form (what the unit of work remembers as stored)."""
    return tuple((r["scope_id"], r["activity_id"], r["slot"], r["count"]) for r in token_rows)


def token_rows(inst: ProcessInstance) -> list[dict[str, Any]]:
    """``tokens`` rows: the tokens waiting at the joins of the instance's open scopes."""
    rows: list[dict[str, Any]] = []
    for scope in inst.scopes.values():
        if scope.closed:
            continue
        block = scope.owner.id if scope.owner is not None else None
        for index, waiting in scope.tokens.items():
            ca = scope.graph.activities[index]
            rows.extend(
                {
                    "instance_id": inst.id,
                    "scope_id": scope.id,
                    "activity_id": ca.id,
                    "slot": slot,
                    "transition_id": ca.incoming[slot],
                    "count": count,
                    "block_activity_instance_id": block,
                }
                for slot, count in enumerate(waiting)
                if count
            )
    return rows


def incident_row(incident: Incident) -> dict[str, Any]:
    """The ``incidents`` row (what queries need; the document keeps the rest)."""
    return {
        "id": incident.id,
        "instance_id": incident.instance_id,
        "activity_instance_id": incident.activity_instance_id,
        "activity_id": incident.activity_id,
        "application_id": incident.application_id,
        "operation": incident.operation,
        "message": incident.message,
        "attempts": incident.attempts,
        "created_at": incident.created_at,
        "resolved": incident.resolved,
    }


_OPENED = OutboxKind.INCIDENT_OPENED.value
_RESOLVED = OutboxKind.INCIDENT_RESOLVED.value


def incidents_touched(entries: Iterable[OutboxEntry]) -> dict[str, dict[str, bool]]:
    """Instance id -> the incidents a step opened or resolved (id -> opened by it), told by
    its outbox entries: each incident is opened and resolved once, and each time with an
    ``incident.opened`` / ``incident.resolved`` entry, nothing else of one ever changes.

    Why: the commit writes the ``incidents`` rows of these only. Rewriting every row of an
    instance that had incidents made each command cost as many rows as the instance ever
    had incidents (a case retried K times wrote K rows per command; a split of 2,000
    failing calls, skipped one by one, 2,000 rows per skip)."""
    touched: dict[str, dict[str, bool]] = {}
    for entry in entries:
        kind = entry.kind
        if kind in (_OPENED, _RESOLVED):
            found = touched.setdefault(entry.instance_id, {})
            incident_id = entry.payload["incident_id"]
            found[incident_id] = found.get(incident_id, False) or kind == _OPENED
    return touched


def incidents(found: Iterable[Row], dialect: sa.Dialect) -> list[Incident]:
    """The incidents of the ``incidents`` rows ``found`` (read
    :func:`~wfengine.runtime.sql.undecoded.undecoded`), leaving out (and
    logging, naming its id) a row that cannot be read as one: a time or count edited by hand
    must not hide every other open incident (the read failed as a whole)."""
    return each_readable(found, t.incidents.c, dialect, incident, UNREADABLE, _skipped_incident)


def _skipped_incident(incident_id: object, why: object) -> None:
    _log.warning(
        "skipped the incidents row with id %r: it cannot be read as an incident (%s)",
        incident_id,
        why,
    )


def incident(row: Row) -> Incident:
    """An incident as its row holds it (read-only: the instance's own record is complete);
    ``TypeError`` when its time or count is not one (``attempts`` is a number in every
    listing: ``"x"`` came out of ``wfengine incidents --json`` as it was)."""
    attempts, created_at = row["attempts"], row["created_at"]
    if not isinstance(attempts, int) or isinstance(attempts, bool):
        raise TypeError(f"attempts is {attempts!r}, not an integer")
    if not isinstance(created_at, datetime):
        raise TypeError(f"created_at is {created_at!r}, not a time")
    return Incident(
        id=row["id"],
        instance_id=row["instance_id"],
        activity_instance_id=row["activity_instance_id"],
        activity_id=row["activity_id"],
        operation=row["operation"],
        message=row["message"],
        created_at=row["created_at"],
        resolved=row["resolved"],
        application_id=row["application_id"],
        attempts=row["attempts"],
    )


# --------------------------------------------------------------------------- work items and jobs


def work_item_row(item: WorkItem) -> dict[str, Any]:
    return {
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
        "holder": item.holder,
        "owner": item.owner,
        "started_at": item.started_at,
    }


def offer_rows(item: WorkItem) -> list[dict[str, Any]]:
    """The ``work_item_offers`` rows of an offered item: one per assignee."""
    return [
        {"user_id": user, "created_at": item.created_at, "work_item_id": item.id}
        for user in dict.fromkeys(item.assignees)
    ]


def work_item(row: Row) -> WorkItem:
    return WorkItem(
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
        holder=row["holder"],
        owner=row["owner"],
        started_at=row["started_at"],
    )


def new_job_row(job: Job) -> dict[str, Any]:
    """The ``jobs`` row of a job a step adds: stored unleased (a claim leases it), but for
    the stretch of a long run, which the engine that committed it holds already."""
    return {
        "id": job.id,
        "kind": job.kind,
        "instance_id": job.instance_id,
        "due_at": job.due,
        "seq": job.seq,
        "attempts": job.attempts,
        "lock_owner": job.lock_owner,
        "lock_expires_at": job.lock_expires_at,
        "payload": encode_value(job.payload, f"job {job.id!r}"),
        "idempotency_key": job.key,
    }


def job(row: Row) -> Job:
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


# --------------------------------------------------------------------------- audit and outbox


def outbox_record(row: Row) -> OutboxRecord:
    return OutboxRecord(
        int(row["id"]),
        row["key"],
        row["kind"],
        row["instance_id"],
        decode_value(row["payload"]),
        row["created_at"],
        OutboxStatus(row["status"]),
        row["attempts"],
        row["next_attempt_at"],
        row["last_error"],
        row["settled_at"],
    )


def correlation_rows(inst: ProcessInstance) -> list[dict[str, Any]]:
    """``correlation_keys`` rows of an open instance: one per declared key it has a value for."""
    values = {
        key: correlation_value(inst.data[key])
        for key in inst.compiled.correlation_keys
        if inst.data.get(key) is not None
    }
    return [
        {"instance_id": inst.id, "key": k, "value": v, "value_sha256": correlation_digest(v)}
        for k, v in values.items()
    ]


def correlation_digest(value: str) -> str:
    """What ``correlation_keys`` indexes of a value (the text :func:`correlation_value` made):
    its sha256, hex. Why not the value: a PostgreSQL index entry holds ~2,700 bytes at most,
    and a key field any length; a lookup compares the value too, so a digest finds it."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
