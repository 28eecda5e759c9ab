"""Fixtures for the engine tests: an engine on a virtual clock, and a small runner.

The ``engine`` fixture is parametrised over the stores, so the whole behaviour suite runs on
memory, on a SQLite file and on PostgreSQL (see ``tests/pg.py`` for when that one skips).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import EventKind
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.store import AuditEvent

STORES = ("memory", "sqlite", "postgres")
KINDS = frozenset(EventKind)


class DroppedConnections:
    """Every statement of ``store`` (or, with ``where``, every one whose SQL contains it) fails
    as a dropped connection while ``failures`` is positive; ``raised`` counts the failures."""

    def __init__(self, store: SqlStore, failures: int, where: str | None = None) -> None:
        self.failures = failures
        self.where = where
        self.raised = 0
        sa.event.listen(store.sa_engine, "before_cursor_execute", self._check)

    def _check(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.failures > 0 and (self.where is None or self.where in statement):
            self.failures -= 1
            self.raised += 1
            raise sa.exc.OperationalError(
                statement,
                {},
                ConnectionError("server closed the connection unexpectedly"),
                connection_invalidated=True,
            )


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


def store_url(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> str | None:
    """The db_url of a fresh, empty store of ``kind`` (None for memory)."""
    if kind == "memory":
        return None
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'wfengine.db'}"
    url = request.getfixturevalue("pg_url")
    assert isinstance(url, str)
    return url


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    kind = request.param
    assert isinstance(kind, str)
    return kind


@pytest.fixture
def engine(
    request: pytest.FixtureRequest, store_kind: str, clock: VirtualClock, tmp_path: Path
) -> Iterator[Engine]:
    with Engine(clock=clock, db_url=store_url(request, store_kind, tmp_path)) as e:
        yield e
        check_history(e)


def check_history(engine: Engine) -> None:
    """Every event the test made the engine record is in the audit catalogue, reads back as
    its payload type, is numbered 1, 2, ... in its instance and names the instance's process;
    on a database the hash chain verifies (run after every test that uses the ``engine``
    fixture, and the worklist's and audit's engine fixtures); every incident it opened ends
    in it once, unless still open (:func:`check_incidents_ended`)."""
    for summary in engine.instance_summaries():
        trail = engine.audit(summary.id)
        assert [ev.seq for ev in trail] == list(range(1, len(trail) + 1))
        for ev in trail:
            assert ev.kind in KINDS, f"{ev.kind!r} is not an EventKind"
            assert ev.process_id == summary.process_id, ev
            payload = ev.payload
            if payload is None:
                assert ev.detail is None, ev
            else:
                assert _plain(payload.detail()) == _plain(ev.detail), ev
        check_incidents_ended(engine, summary.id, trail)
    if not isinstance(engine.store, MemoryStore):
        report = engine.verify_audit()
        assert report.ok, report.breaks


#: the events that end an incident in the trail (an operator's answer, or its end unanswered)
INCIDENT_ENDS = frozenset({"incident.retried", "incident.skipped", "incident.aborted"})


def check_incidents_ended(engine: Engine, instance_id: str, trail: list[AuditEvent]) -> None:
    """Each incident the trail of ``instance_id`` opened is ended by one event of
    :data:`INCIDENT_ENDS` in it, unless it is still open: the outbox was not the only one
    to know that an incident ended (closing its activity or its instance resolved it).
    Incidents opened in the old shape (no id) are not followed."""
    opened: list[str] = []
    ended: list[str] = []
    for ev in trail:
        if ev.kind == "incident.opened":
            incident_id = getattr(ev.payload, "incident_id", None)
            if incident_id is None:
                return
            opened.append(incident_id)
        elif ev.kind in INCIDENT_ENDS:
            ended.append(getattr(ev.payload, "incident_id", ""))
    assert len(ended) == len(set(ended)), f"{instance_id}: an incident ended twice: {ended}"
    still_open = {i.id for i in engine.incidents(instance_id)}
    assert set(ended) == set(opened) - still_open, (instance_id, opened, ended, still_open)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def run(
    engine: Engine, pb: PackageBuilder, process: str = "main", data: Mapping[str, Any] | None = None
) -> str:
    """Deploy the builder's package, start ``process`` with ``data``; return the instance id."""
    engine.deploy(pb.build())
    return engine.start_process(process, data)


def complete_all(engine: Engine, instance_id: str, activity_id: str | None = None) -> int:
    """Complete every offered work item of the instance (of one activity), oldest first."""
    done = 0
    for item in engine.work_items(instance_id):
        if activity_id is None or item.activity_id == activity_id:
            engine.complete_work_item(item.id)
            done += 1
    return done


@pytest.fixture(params=STORES[1:])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each SQL store (SQLite file, PostgreSQL)."""
    url = store_url(request, request.param, tmp_path)
    assert url is not None
    return url


@pytest.fixture
def pg_sa(pg_url: str) -> Iterator[sa.Engine]:
    """A SQLAlchemy engine on a PostgreSQL database that has the store's schema (for tests
    of the SQL layer's statements below the store)."""
    from wfengine.runtime.sql.connect import create_engine
    from wfengine.runtime.sql.store import SqlStore

    SqlStore(pg_url).close()  # the schema
    made = create_engine(pg_url)
    yield made
    made.dispose()


@pytest.fixture
def sql_engine(db_url: str) -> Iterator[Engine]:
    """An engine on each SQL store (SQLite file, PostgreSQL), on a virtual clock."""
    from wfengine.runtime.sql.store import SqlStore

    with Engine(store=SqlStore(db_url), clock=VirtualClock()) as e:
        yield e


def rewrite_stored(url: str, process_id: str, old: str, new: str) -> None:
    """What an earlier wfengine stored: ``process_id``'s deployment, text and model, with
    ``old`` written as ``new`` (a rule this wfengine refuses, or something it cannot
    compile), marked as migration 0026 marks what was stored before it (its texts read as
    then)."""
    from wfengine.runtime.sql import schema

    d = schema.deployments
    with Engine(db_url=url) as e, e.store.sa_engine.begin() as conn:  # type: ignore[attr-defined]
        row = conn.execute(sa.select(d).where(d.c.process_id == process_id)).mappings().one()
        conn.execute(
            sa.update(d)
            .where(d.c.process_id == process_id)
            .values(
                xpdl=row["xpdl"].replace(old, new),
                model=row["model"].replace(old, new),
                reads_expressions_as_before=True,
            )
        )
