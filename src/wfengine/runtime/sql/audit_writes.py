"""The ``audit_events`` and ``outbox`` rows of a commit, made in the driver's form in one pass.

Why: a command writes about seven audit events, and each was built as a dict of eleven keys,
then rendered by the :class:`~wfengine.runtime.sql.wire.Wire` into a tuple in the INSERT's
parameter order, its time converted and its detail encoded to JSON text there: two passes
and a dict per event, the time converted again per event. Here each event is one tuple in
:data:`AUDIT_KEYS` order, its time in the driver's form once per distinct time (the time
the hash chain hashes is rendered there too), its detail encoded once and then turned into
the chain's text and the column's. The rows, hashes and order are those the dicts made: the
Wire checks once per store that the INSERT takes exactly these parameters in this order,
converting the same columns (:meth:`~wfengine.runtime.sql.wire.Wire.sql_for`). The outbox
entries (two a command) are made so too (:func:`outbox_tuples`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from wfengine.runtime.audit_chain import GENESIS, detail_text, hashed_time, link_hash
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.outbox import OutboxEntry, OutboxStatus
from wfengine.runtime.sql.serialize import encode_value
from wfengine.runtime.sql.wire import Statement, Wire
from wfengine.runtime.store import header_ids

#: an ``audit_events`` row's values, in the order of :func:`audit_tuples`' tuples
AUDIT_KEYS = (
    "instance_id",
    "seq",
    "at",
    "kind",
    "activity_instance_id",
    "activity_id",
    "detail",
    "process_id",
    "user_id",
    "work_item_id",
    "hash",
)
#: the columns of :data:`AUDIT_KEYS` the driver takes converted: a time, and JSON text
AUDIT_TIMES = ("at",)
AUDIT_JSON = ("detail",)


def audit_sql(wire: Wire, insert: Statement) -> str:
    """The SQL of ``insert`` (into ``audit_events``) for the rows of :func:`audit_tuples`;
    ValueError when it would not take them as they are."""
    return wire.sql_for(insert, AUDIT_KEYS, AUDIT_TIMES, AUDIT_JSON)


def audit_tuples(
    inst: ProcessInstance, first_seq: int, head: str | None, wire: Wire
) -> tuple[list[tuple[Any, ...]], str | None]:
    """``audit_events`` rows (:data:`AUDIT_KEYS` order, in the driver's form of ``wire``)
    of the instance's pending changes, numbered from ``first_seq`` and chained from ``head``
    (the hash of the instance's last stored event, None before any); returns them with the
    new head."""
    wire_time, wire_json = wire.time, wire.json
    found: list[tuple[Any, ...]] = []
    previous = GENESIS if head is None else head
    iid, process_id = inst.id, inst.process_id
    last_at: Any = None
    hashed = ""
    wired: Any = None
    row: tuple[Any, ...]
    for n, (at, kind, ai_id, act_id, detail) in enumerate(inst.changes, first_seq):
        if at != last_at:
            last_at, hashed, wired = at, hashed_time(at), wire_time(at)
        if detail is None:  # (most events have no detail: nothing to encode)
            previous = link_hash(previous, iid, n, hashed, kind, ai_id, act_id, "null")
            row = (iid, n, wired, kind, ai_id, act_id, "null", process_id, None, None, previous)
        else:
            stored = encode_value(detail, f"instance {iid!r}, audit {kind}")
            user, item = header_ids(stored)
            text = detail_text(stored)
            previous = link_hash(previous, iid, n, hashed, kind, ai_id, act_id, text)
            detail = wire_json(stored)
            row = (iid, n, wired, kind, ai_id, act_id, detail, process_id, user, item, previous)
        found.append(row)
    return found, (previous if found else head)


#: an ``outbox`` row's values, in the order of :func:`outbox_tuples`' tuples
OUTBOX_KEYS = (
    "key",
    "kind",
    "instance_id",
    "payload",
    "created_at",
    "status",
    "attempts",
    "next_attempt_at",
)
_PENDING = OutboxStatus.PENDING.value


def outbox_sql(wire: Wire, insert: Statement) -> str:
    """The SQL of ``insert`` (into ``outbox``) for the rows of :func:`outbox_tuples`."""
    return wire.sql_for(insert, OUTBOX_KEYS, ("created_at", "next_attempt_at"), ("payload",))


def outbox_tuples(
    entries: Iterable[OutboxEntry], committed_at: datetime, wire: Wire
) -> list[tuple[Any, ...]]:
    """New, pending ``outbox`` rows (:data:`OUTBOX_KEYS` order, in the driver's form of
    ``wire``), each due when its change happened (``committed_at`` stands in for an entry
    that does not say)."""
    wire_time, wire_json = wire.time, wire.json
    found = []
    for entry in entries:
        at = wire_time(entry.at if entry.at is not None else committed_at)
        payload = wire_json(encode_value(entry.payload, f"outbox entry {entry.key!r}"))
        found.append((entry.key, entry.kind, entry.instance_id, payload, at, _PENDING, 0, at))
    return found
