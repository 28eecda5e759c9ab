"""Every time the engine returns is in UTC, whatever the zone of its clock, on every store.

Before, a SQL store kept the times of an instance's document (its open activity instances,
its incidents, the messages it keeps) in the clock's zone: with a clock in
``Europe/Berlin`` an open activity instance's ``started_at`` and an incident's
``created_at`` came back as ``+02:00`` beside the UTC of every column and of the memory
store. Documents are now written in UTC, and those stored before are read in UTC."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.definition.builder import deadline
from wfengine.runtime.sql import schema
from wfengine.runtime.sql.document_format import current_document
from wfengine.runtime.sql.serialize import instance_document, load_instance

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 7, 1, 10, 0, tzinfo=BERLIN)  # summer: +02:00


def _package() -> Any:
    pb = PackageBuilder("zones")
    pb.application("boom", params=[])
    p = pb.process("proc")
    p.route("fork", gateway="Parallel")
    p.activity("work", performer="clerk", deadlines=[deadline("PT5H", "Late")])
    p.activity("next", performer="clerk", deadlines=[deadline("PT5H", "Late")])
    p.activity("call", tool="boom")
    p.transition("fork", "work").transition("fork", "call").transition("work", "next")
    return pb.build()


def _boom() -> None:
    raise RuntimeError("the service is down")


def _engine(url: str | None) -> Engine:
    e = Engine(clock=VirtualClock(START), db_url=url, directory=Organisation.from_data(ORG))
    e.applications.register("boom", _boom)
    return e


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with _engine(store_url(request, request.param, tmp_path)) as e:
        e.deploy(_package())
        yield e
        check_history(e)


def _run(engine: Engine) -> str:
    """An instance with an incident (the call failed), a closed activity (`work`, worked on
    in between), an open one (`next`), its work item and its deadline's timer."""
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    iid = engine.start_process("proc")
    clock.advance(timedelta(hours=1))
    (item,) = [w for w in engine.work_items(iid) if w.activity_id == "work"]
    engine.claim_work_item(item.id, "alice")
    engine.start_work_item(item.id, "alice")
    clock.advance(timedelta(hours=1))
    engine.complete_work_item(item.id)
    return iid


def _times(value: Any, where: str = "") -> Iterator[tuple[str, datetime]]:
    """Every datetime in ``value`` (records, their fields, lists and mappings of them)."""
    if isinstance(value, datetime):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _times(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _times(item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            yield from _times(item, f"{where}[{n}]")


def _returned(engine: Engine, iid: str) -> dict[str, Any]:
    items = engine.work_items(iid)
    return {
        "instance": engine.instance(iid),
        "summaries": engine.instance_summaries(),
        "activities": engine.activity_instances(iid),
        "work_items": items,
        "work_item": [engine.work_item(w.id) for w in items],
        "incidents": engine.incidents(iid),
        "jobs": engine.jobs(),
        "timers": engine.timers(iid),
        "trail": engine.audit(iid),
        "events": engine.audit_events(),
    }


def _not_utc(found: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (where, when.isoformat())
        for where, when in _times(found)
        if when.utcoffset() != timedelta(0)
    ]


def test_every_time_the_engine_returns_is_utc(engine: Engine) -> None:
    iid = _run(engine)
    found = _returned(engine, iid)
    kinds = {a.state.is_closed for a in found["activities"]}
    assert kinds == {True, False}  # closed and open activity instances alike
    assert found["incidents"] and found["timers"] and found["jobs"]
    assert _not_utc(found) == []
    opened = next(a for a in found["activities"] if a.activity_id == "next")
    assert opened.started_at == START + timedelta(hours=2)


def _zoned(text: str) -> str:
    """An ISO time of a document as the clock's zone wrote it before."""
    return datetime.fromisoformat(text).astimezone(BERLIN).isoformat()


def test_documents_stored_in_the_clocks_zone_read_in_utc(tmp_path: Path) -> None:
    path = tmp_path / "zones.db"
    with _engine(f"sqlite:///{path}") as e:
        e.deploy(_package())
        iid = _run(e)
        before = _returned(e, iid)
    with sqlite3.connect(path) as conn:  # as wfengine wrote it before: in the clock's zone
        (blob,) = conn.execute("SELECT state_blob FROM process_instances").fetchone()
        doc = json.loads(blob)
        for record in doc["activities"]:
            for key in ("started", "completed", "running"):
                if key in record:
                    record[key] = _zoned(record[key])
        for incident in doc["incidents"]:
            incident["created"] = _zoned(incident["created"])
        assert "+02:00" in json.dumps(doc)
        conn.execute("UPDATE process_instances SET state_blob = ?", (json.dumps(doc),))
    with _engine(f"sqlite:///{path}") as e:
        after = _returned(e, iid)
        assert _not_utc(after) == []
        assert after == before
        check_history(e)


@pytest.fixture
def host_in_new_york() -> Iterator[None]:
    """The host's local zone is America/New_York (-04:00 in July), not UTC."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def _document_times(doc: dict[str, Any]) -> list[str]:
    return [r[k] for r in doc["activities"] for k in ("started", "completed") if k in r] + [
        i["created"] for i in doc["incidents"]
    ]


@pytest.mark.usefixtures("host_in_new_york")
def test_a_naive_time_of_a_document_is_written_back_as_it_was(tmp_path: Path) -> None:
    """A document's naive time (one written by hand) reads as it is, and is written back as
    it is: before, writing took it for the host's local time and shifted it by the host's
    zone (10:00 became 14:00+00:00 on a host in New York) each time the instance was
    stored."""
    with _engine(f"sqlite:///{tmp_path / 'naive.db'}") as e:
        e.deploy(_package())
        _run(e)
        with e.store.sa_engine.connect() as conn:  # type: ignore[attr-defined]
            row = dict(conn.execute(sa.select(schema.process_instances)).mappings().one())
        doc = current_document(row["state_blob"], row["id"])
        for record in [*doc["activities"], *doc["incidents"]]:
            for key in ("started", "completed", "created"):
                if key in record:  # the UTC time, without its offset
                    record[key] = record[key].removesuffix("+00:00")
        naive = _document_times(doc)
        assert naive and not [t for t in naive if "+" in t]
        deployed = e.store.deployment(row["process_id"], row["definition_version"])
        assert deployed is not None
        inst = load_instance(row, doc, deployed.compiled)
        assert _document_times(instance_document(inst)) == naive
