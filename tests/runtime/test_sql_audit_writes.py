"""Audit rows made in the driver's form in one pass (``sql/audit_writes``) hold what the rows
SQLAlchemy writes from the same values hold, and the Wire refuses to write them with a
statement that would take them otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import sqlalchemy as sa

from wfengine.runtime.audit_chain import event_hash
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.audit_writes import AUDIT_KEYS, audit_sql, audit_tuples
from wfengine.runtime.sql.dialects import dialect_for
from wfengine.runtime.sql.driver import on_cursor
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.sql.wire import Wire
from wfengine.runtime.store import header_ids
from wfengine.runtime.values import encode_value

PARIS = timezone(timedelta(hours=1))
AT = datetime(2027, 1, 4, 9, 30, 15, 123456, tzinfo=UTC)
LATER = datetime(2027, 1, 4, 10, 30, 15, 5, tzinfo=PARIS)  # another zone: stored in UTC


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    found = SqlStore(f"sqlite:///{tmp_path / 'audit.db'}")
    yield found
    found.close()


def _wire(store: SqlStore) -> Wire:
    dialect = dialect_for(store.sa_engine.url)
    assert dialect is not None
    return Wire(dialect, store.sa_engine.dialect)


CHANGES = [
    (AT, "instance.created", None, None, {"version": 1, "data": {"x": "é", "when": LATER}}),
    (AT, "activity.started", "pi-1:1", "a", None),
    (LATER, "work_item.completed", "pi-1:1", "a", {"work_item": "wi-1", "user": "ann"}),
    (LATER, "activity.completed", "pi-1:1", "a", None),
]


def _instance(iid: str) -> dict[str, Any]:
    return {
        **dict.fromkeys(c.name for c in t.process_instances.c),
        **{"id": iid, "process_id": "p", "definition_version": 1, "state": "open.running"},
        **{"data": {}, "version": 1, "audit_seq": 0, "created_at": AT, "updated_at": AT},
        "state_blob": {},
    }


def _as_dicts(iid: str, first: int, head: str) -> list[dict[str, Any]]:
    """The rows of ``CHANGES`` as the commit built them before, as dicts of Python values."""
    found, previous = [], head
    for n, (at, kind, ai_id, act_id, detail) in enumerate(CHANGES, first):
        stored = None if detail is None else encode_value(detail, "test")
        previous = event_hash(previous, iid, n, at, kind, ai_id, act_id, stored)
        user, item = header_ids(stored)
        found.append(
            {"instance_id": iid, "seq": n, "at": at, "kind": kind}
            | {"activity_instance_id": ai_id, "activity_id": act_id, "detail": stored}
            | {"process_id": "p", "user_id": user, "work_item_id": item, "hash": previous}
        )
    return found


def test_audit_rows_read_back_as_the_rows_sqlalchemy_writes_with_the_same_chain(
    store: SqlStore,
) -> None:
    wire = _wire(store)
    inst = SimpleNamespace(id="pi-1", process_id="p", changes=CHANGES)
    made, head = audit_tuples(cast(Any, inst), 3, "f" * 64, wire)
    a = t.audit_events
    with store.sa_engine.begin() as conn:
        for iid in ("pi-1", "pi-2"):  # (the events' foreign key)
            conn.execute(t.process_instances.insert(), [_instance(iid)])
        wire.many_made(on_cursor(conn), audit_sql(wire, a.insert()), made)
        conn.execute(a.insert(), _as_dicts("pi-2", 3, "f" * 64))  # SQLAlchemy's own writing
        found = conn.execute(sa.select(a).order_by(a.c.instance_id, a.c.seq)).mappings().all()
        text = conn.exec_driver_sql("SELECT * FROM audit_events ORDER BY instance_id, seq").all()
    mine = [dict(r) for r in found if r["instance_id"] == "pi-1"]
    theirs = [dict(r) for r in found if r["instance_id"] == "pi-2"]
    # what the Wire made of the same rows as dicts (the commit's way before), value by value
    assert made == wire.render(a.insert(), _as_dicts("pi-1", 3, "f" * 64))
    # the same stored text but the detail's spacing (the hashes chain the instance id)
    assert [r[1:6] + r[7:10] for r in text[:4]] == [r[1:6] + r[7:10] for r in text[4:]]
    assert [r["hash"] for r in mine] == [r["hash"] for r in _as_dicts("pi-1", 3, "f" * 64)]
    assert head == mine[-1]["hash"]
    for row in [*mine, *theirs]:
        assert row["at"].tzinfo is UTC
    assert [r["seq"] for r in mine] == [3, 4, 5, 6]
    assert [(r["user_id"], r["work_item_id"]) for r in mine][2] == ("ann", "wi-1")
    assert mine[1]["detail"] is None and mine[0]["detail"]["data"]["x"] == "é"
    assert [{**r, "instance_id": "x", "hash": ""} for r in mine] == [
        {**r, "instance_id": "x", "hash": ""} for r in theirs
    ]


def test_the_wire_refuses_a_statement_that_would_take_the_rows_otherwise(
    store: SqlStore,
) -> None:
    wire = _wire(store)
    a = t.audit_events
    keys = AUDIT_KEYS
    assert audit_sql(wire, a.insert()) == wire.sql_for(a.insert(), keys, ("at",), ("detail",))
    with pytest.raises(ValueError):  # another order
        wire.sql_for(a.insert(), (keys[1], keys[0], *keys[2:]), ("at",), ("detail",))
    with pytest.raises(ValueError):  # a time not converted
        wire.sql_for(a.insert(), keys, (), ("detail",))
    with pytest.raises(ValueError):  # JSON not encoded
        wire.sql_for(a.insert(), keys, ("at",), ())
    with pytest.raises(ValueError):  # a column converted that is not a time
        wire.sql_for(a.insert(), keys, ("at", "kind"), ("detail",))
    with pytest.raises(ValueError):  # a value the table has no column for
        wire.sql_for(a.insert(), (*keys, "extra"), ("at",), ("detail",))


def test_outbox_rows_are_what_the_wire_made_of_the_dicts(store: SqlStore) -> None:
    from wfengine.runtime.outbox import OutboxEntry
    from wfengine.runtime.sql.audit_writes import outbox_sql, outbox_tuples

    wire = _wire(store)
    entries = [
        OutboxEntry("k-1", "work_item.offered", "pi-1", {"z": [LATER, "é"], "a": None}, LATER),
        OutboxEntry("k-2", "instance.state_changed", "pi-1", None),  # due at the commit
    ]
    made = outbox_tuples(entries, AT, wire)
    dicts = [
        {"key": e.key, "kind": e.kind, "instance_id": e.instance_id}
        | {"payload": encode_value(e.payload, "test"), "created_at": e.at or AT}
        | {"status": "pending", "attempts": 0, "next_attempt_at": e.at or AT}
        for e in entries
    ]
    assert made == wire.render(t.outbox.insert(), dicts)
    o = t.outbox
    with store.sa_engine.begin() as conn:
        wire.many_made(on_cursor(conn), outbox_sql(wire, o.insert()), made)
        found = conn.execute(sa.select(o).order_by(o.c.id)).mappings().all()
    assert [(r["key"], r["created_at"], r["next_attempt_at"]) for r in found] == [
        ("k-1", LATER, LATER),
        ("k-2", AT, AT),
    ]
    assert found[0]["payload"] == {"z": [encode_value(LATER, "t"), "é"], "a": None}
    assert found[1]["payload"] is None
