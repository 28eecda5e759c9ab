"""Instance documents written by an older wfengine load, and their instances carry on.

``fixtures/format1_database.json`` holds the rows of a SQL store written before instance
documents carried a format version (see ``fixtures/make_format1_database.py``): instances
stopped at a work item with a deadline timer, a token waiting at a join, an incident, parked
work, a block's activity set, multi-instance, a loop, a subflow, an OR-join, a suspended and a
completed one. The rows are copied into a fresh database of each SQL store and every instance
is carried on to its end by today's engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import complete_all
from wfengine.errors import StoreError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxRecord, OutboxStatus
from wfengine.runtime.sql import migrate, schema
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.document_format import CURRENT_FORMAT, current_document, document_format
from wfengine.runtime.sql.serialize import instance_document, load_instance
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.states import ProcessState

FIXTURE = Path(__file__).parent / "fixtures" / "format1_database.json"
COMPLETED = ProcessState.COMPLETED


def _fixture() -> dict[str, Any]:
    loaded = json.loads(FIXTURE.read_text())
    assert isinstance(loaded, dict)
    return loaded


#: the outbox table as it was when the fixture was written (schema revision 0002)
_OUTBOX_0002 = sa.table(
    "outbox",
    sa.column("key"),
    sa.column("kind"),
    sa.column("instance_id"),
    sa.column("payload", sa.JSON),
    sa.column("created_at", schema.UtcDateTime),
    sa.column("dispatched_at", schema.UtcDateTime),
)


def _restore(url: str, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Copy the fixture's rows into a fresh database at ``url`` as it was when they were
    written (schema revision 0002), then upgrade it as an operator would."""
    Engine(db_url=url).close()  # creates the schema
    migrate.downgrade(url, "0002")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for table in schema.TABLES:
                if table.name not in tables:
                    continue  # a table of a later revision than the fixture's
                target: Any = _OUTBOX_0002 if table is schema.outbox else table
                times = {c.name for c in target.c if isinstance(c.type, schema.UtcDateTime)}
                rows = []
                for row in tables[table.name]:
                    values = {
                        k: (datetime.fromisoformat(v) if k in times and v is not None else v)
                        for k, v in row.items()
                    }
                    if table is schema.outbox:
                        del values["id"]  # numbered by the database, in the same order
                    rows.append(values)
                if rows:
                    conn.execute(target.insert(), rows)
    finally:
        engine.dispose()
    migrate.upgrade(url)


@pytest.fixture
def old(db_url: str) -> Iterator[Engine]:
    """An engine on a database holding the fixture's rows."""
    fixture = _fixture()
    _restore(db_url, fixture["tables"])
    clock = VirtualClock(datetime.fromisoformat(fixture["clock"]))
    with Engine(db_url=db_url, clock=clock) as e:
        yield e


def _one(e: Engine, process_id: str, state: ProcessState = ProcessState.RUNNING) -> str:
    [summary] = e.instance_summaries(process_id=process_id, state=state)
    return summary.id


def _audit_is_whole(e: Engine, iid: str) -> None:
    events = e.audit(iid)
    assert [x.seq for x in events] == list(range(1, len(events) + 1))
    assert [x.kind for x in events].count("instance.created") == 1


def test_a_work_item_with_a_deadline_carries_on(old: Engine) -> None:
    iid = _one(old, "review")
    assert old.instance(iid).data == {"amount": 5}
    [item] = old.work_items(iid)
    assert len(old.timers(iid)) == 1
    clock = old.clock
    assert isinstance(clock, VirtualClock)
    clock.advance(timedelta(hours=2))  # the stored deadline fires
    assert old.trace(iid) == ["remind"]
    old.complete_work_item(item.id, {"amount": 6})
    assert old.instance(iid).state is COMPLETED
    assert old.trace(iid) == ["remind", "check", "done"]
    assert old.instance(iid).data == {"amount": 6}
    _audit_is_whole(old, iid)
    assert old.jobs(iid) == []


def test_suspended_and_completed_instances_carry_on(old: Engine) -> None:
    suspended = _one(old, "review", ProcessState.SUSPENDED)
    done = _one(old, "review", COMPLETED)
    assert old.trace(done) == ["check", "done"]
    _audit_is_whole(old, done)
    old.resume(suspended)
    complete_all(old, suspended)
    assert old.instance(suspended).state is COMPLETED
    assert old.instance(suspended).data == {"amount": 7}


def test_a_token_waiting_at_a_join_carries_on(old: Engine) -> None:
    iid = _one(old, "parallel")
    assert old.trace(iid) == ["split", "a"]
    assert complete_all(old, iid) == 1
    assert old.instance(iid).state is COMPLETED
    assert old.trace(iid) == ["split", "a", "b", "join", "after"]
    _audit_is_whole(old, iid)


def test_an_incident_carries_on(old: Engine) -> None:
    iid = _one(old, "incident")
    [incident] = old.incidents(iid)
    assert "y > 1" in incident.message
    old.set_data(iid, {"y": 0})
    old.retry_incident(incident.id)
    assert old.trace(iid) == ["a", "b"]
    assert old.instance(iid).state is COMPLETED
    assert old.incidents(iid) == []


def test_parked_work_carries_on(old: Engine) -> None:
    iid = _one(old, "deferred")
    assert old.work_items(iid) == []
    old.run_due_jobs()
    assert old.trace(iid) == ["auto"]
    complete_all(old, iid)
    assert old.trace(iid) == ["auto", "manual", "end"]
    assert old.instance(iid).state is COMPLETED


def test_a_block_activity_set_carries_on(old: Engine) -> None:
    iid = _one(old, "block")
    complete_all(old, iid)
    assert old.trace(iid) == ["a", "x", "y", "blk", "z"]
    assert old.instance(iid).state is COMPLETED


def test_multi_instance_carries_on(old: Engine) -> None:
    iid = _one(old, "mi")
    items = old.work_items(iid)
    assert [w.mi_index for w in items] == [1, 2]
    complete_all(old, iid)
    assert old.trace(iid) == ["m", "m", "m", "after"]
    assert old.instance(iid).state is COMPLETED


def test_a_loop_carries_on(old: Engine) -> None:
    iid = _one(old, "loop")
    [item] = old.work_items(iid)
    old.complete_work_item(item.id, {"n": 2})
    assert old.trace(iid) == ["body", "body", "after"]
    assert old.instance(iid).state is COMPLETED


def test_a_subflow_carries_on(old: Engine) -> None:
    parent = _one(old, "parent")
    child = _one(old, "child")
    assert old.instance(child).parent_instance_id == parent
    assert old.instance(child).data["x"] == 3
    complete_all(old, child)
    assert old.instance(child).state is COMPLETED
    assert old.trace(parent) == ["call", "after"]
    assert old.instance(parent).state is COMPLETED


def test_an_or_join_carries_on(old: Engine) -> None:
    iid = _one(old, "orjoin")
    complete_all(old, iid)
    assert old.trace(iid) == ["fork", "l", "r", "merge", "end"]
    assert old.instance(iid).state is COMPLETED


def test_every_instance_of_the_fixture_is_listed(old: Engine) -> None:
    rows = _fixture()["tables"]["process_instances"]
    assert {s.id for s in old.instance_summaries()} == {r["id"] for r in rows}
    assert len(old.instances()) == len(rows)
    assert len(old.store.open_incidents()) == 1


# --------------------------------------------------------------------------- the format itself


def test_upgraded_documents_are_what_todays_writer_writes(tmp_path: Path) -> None:
    """Each format 1 document, upgraded, equals the document written for the instance it
    loads as: the upgrade loses nothing and leaves nothing of the old format behind."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    fixture = _fixture()
    _restore(url, fixture["tables"])
    with Engine(db_url=url) as e:
        for row in fixture["tables"]["process_instances"]:
            old_document = row["state_blob"]
            kept = json.dumps(old_document, sort_keys=True)
            assert document_format(old_document) == 1
            upgraded = current_document(old_document, row["id"])
            assert json.dumps(old_document, sort_keys=True) == kept  # not changed in place
            assert upgraded["format"] == CURRENT_FORMAT
            deployed = e.store.deployment(row["process_id"], row["definition_version"])
            assert deployed is not None
            values = {**row, "created_at": datetime.fromisoformat(row["created_at"])}
            inst = load_instance(values, upgraded, deployed.compiled)
            written = json.loads(json.dumps(instance_document(inst)))
            # the summaries format 3 keeps are derived when the instance loads (the upgrade
            # has no graph to name activities by): None in the upgraded document
            assert upgraded["performers"] is None and upgraded["last_performer"] is None
            upgraded = {
                **upgraded,
                "performers": written["performers"],
                "last_performer": written["last_performer"],
                "scopes": [
                    {**mine, **({"done": w["done"]} if "done" in w else {})}
                    for mine, w in zip(upgraded["scopes"], written["scopes"], strict=True)
                ],
            }
            assert written == upgraded


def test_a_committed_instance_is_stored_in_the_current_format(old: Engine) -> None:
    iid = _one(old, "parallel")
    old.set_data(iid, {"note": "touched"})
    store = old.store
    assert isinstance(store, SqlStore)
    p = schema.process_instances
    with store.sa_engine.connect() as conn:
        document = conn.execute(sa.select(p.c.state_blob).where(p.c.id == iid)).scalar_one()
    assert document["format"] == CURRENT_FORMAT


def test_the_first_commit_moves_a_format_2_documents_history_out(old: Engine) -> None:
    """A format 1 or 2 document holds every activity instance and the whole trace; its
    instance's next commit moves the closed ones to the tables, and what users read of the
    history stays as it was."""
    store = old.store
    assert isinstance(store, SqlStore)
    p = schema.process_instances
    running = old.instance_summaries(state=ProcessState.RUNNING)
    with_history = 0
    for summary in running:
        iid = summary.id
        before = (old.activity_instances(iid), old.trace(iid))
        with_history += any(a.state.is_closed for a in before[0])
        old.set_data(iid, {"note": "touched"})
        assert (old.activity_instances(iid), old.trace(iid)) == before, iid
        with store.sa_engine.connect() as conn:
            query = sa.select(p.c.state_blob).where(p.c.id == iid)
            document = conn.execute(query).scalar_one()
        live = {a.id for a in before[0] if a.state.is_open}
        held = {a["id"] for a in document["activities"]}
        assert live <= held and all(  # closed ones stay only as an open one's part
            a["state"].startswith("open.") or a.get("mi_parent") in held or a["id"] in owners
            for owners in [{s["owner"] for s in document["scopes"] if not s["closed"]}]
            for a in document["activities"]
        ), iid
    assert with_history >= 4  # the fixture's running instances have history to move


def test_a_document_in_the_current_format_is_read_as_it_is() -> None:
    document = {"format": CURRENT_FORMAT, "incidents": []}
    assert current_document(document, "pi-1") is document


@pytest.mark.parametrize(
    ("found", "message"),
    [
        (CURRENT_FORMAT + 1, "stored by a newer wfengine .* upgrade wfengine"),
        ("2", "not a format number"),
        (0, "not a format number"),
    ],
)
def test_a_document_of_an_unknown_format_is_refused(found: object, message: str) -> None:
    with pytest.raises(StoreError, match=f"process instance 'pi-7'.*{message}"):
        current_document({"format": found, "incidents": []}, "pi-7")


def test_the_outbox_of_an_upgraded_database_is_settled_and_new_entries_deliver(
    old: Engine,
) -> None:
    """Entries written before anything delivered them are settled as skipped by the upgrade
    (no flood of old notifications); what is committed afterwards is delivered."""
    stored = old.outbox.entries()
    assert [e.key for e in stored] == [r["key"] for r in _fixture()["tables"]["outbox"]]
    assert {e.status for e in stored} == {OutboxStatus.SKIPPED}
    assert old.outbox.due_at() is None
    seen: list[OutboxRecord] = []
    old.outbox.subscribe(seen.append)
    iid = _one(old, "parallel")
    old.suspend(iid)
    assert old.deliver_outbox() == 1
    [record] = seen
    assert record.key.startswith(f"{iid}@") and "/suspended/" in record.key  # (stamped)
    assert record.kind == "instance.state_changed"
    assert record.payload["state"] == ProcessState.SUSPENDED.value
    assert old.outbox.entries(OutboxStatus.DELIVERED) == [
        replace(
            record, status=OutboxStatus.DELIVERED, next_attempt_at=None, settled_at=old.clock.now()
        )
    ]


def test_an_upgraded_trail_is_unchained_then_chains_on(old: Engine) -> None:
    """Events written before the hash chain keep no hash and verify as unchained (their
    process filled in by the migration); the events written after chain on."""
    before = old.verify_audit()
    assert before.ok and before.unchained == before.events > 0
    iid = _one(old, "review")
    assert {e.process_id for e in old.audit_events(instance_id=iid)} == {"review"}
    (item,) = old.work_items(iid)
    old.complete_work_item(item.id)
    after = old.verify_audit()
    assert after.ok and after.events > before.events and after.unchained == before.unchained


def test_a_format_4_document_keeps_its_call_keys() -> None:
    """Format 4 made an application call's key of its activity instance's id; read as format
    5, each activity instance's ``call_key`` makes the same key (an incident's retry of a call
    made before the upgrade sends that call's key again)."""
    from wfengine.runtime.sql.document_format import CURRENT_FORMAT, current_document

    old = {"format": 4, "activities": [{"id": "pi-7:12", "state": "open.running"}], "x": 1}
    new = current_document(old, "pi-7")
    assert new["format"] == CURRENT_FORMAT
    assert new["activities"] == [{"ck": "12", "id": "pi-7:12", "state": "open.running"}]
    assert old["activities"] == [{"id": "pi-7:12", "state": "open.running"}]  # not in place
