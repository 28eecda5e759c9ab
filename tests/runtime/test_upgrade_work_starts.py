"""People's work begun before schema 0009 is timed as its trail tells, once the database is
upgraded (migration 0022): waiting until the item was started (or completed unstarted), and
processing from then, as the figures computed from the events say.

``fixtures/upgrade_starts_0005.json`` holds what wfengine at schema 0005 wrote
(``make_upgrade_work_starts.py``), from 09:00: ``review``'s ``a`` started at 09:10 and
completed at 09:30 (``pi-1``), completed unstarted at 09:20 (``pi-2``), started at 09:40 and
left open (``pi-3``); ``mi``'s ``each`` (``pi-4``), whose instances that wfengine started as
it created them, one completed at 09:50 and two left open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.runtime.fixtures.old_database import restore
from wfengine.audit.exports import iter_events
from wfengine.audit.metrics import activity_metrics_of, mi_containers, process_metrics
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import migrate
from wfengine.runtime.sql.connect import create_engine

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
#: when the work left open is completed, after the upgrade
LATER = T0 + timedelta(hours=2)


def _figures(e: Engine, process_id: str) -> tuple[dict[str, tuple[float, ...]], ...]:
    """activity -> (count, mean waiting, mean processing): the SQL store's, the events'."""

    def of(found: list) -> dict[str, tuple[float, ...]]:  # type: ignore[type-arg]
        return {
            m.activity_id: (m.count, m.waiting.mean or 0.0, m.processing.mean or 0.0) for m in found
        }

    events = list(iter_events(e, process_id=process_id))
    reference = activity_metrics_of(events, containers=mi_containers(e, process_id))
    return of(list(process_metrics(e, process_id).activities)), of(reference)


def _finish_open_work(url: str) -> Engine:
    e = Engine(db_url=url, clock=VirtualClock(LATER))
    for instance_id in ("pi-3", "pi-4"):
        for w in e.work_items(instance_id):
            if w.state.is_open:
                e.complete_work_item(w.id, user="clerk")
    return e


def _stamp(url: str, revision: str) -> None:
    """Write ``revision`` as the database's, running nothing."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"UPDATE {migrate.VERSION_TABLE} SET version_num = '{revision}'"))
    finally:
        engine.dispose()


@pytest.fixture
def old_url(db_url: str) -> str:
    assert restore(db_url, "upgrade_starts_0005.json") == "0005"
    return db_url


def test_work_begun_before_0009_waits_until_its_start(old_url: str) -> None:
    migrate.upgrade(old_url)
    with Engine(db_url=old_url) as e:
        sql, events = _figures(e, "review")
        # pi-1 waited 10 minutes and was worked on for 20; pi-2 waited 20 and took none
        assert sql["a"] == events["a"] == (2, 900.0, 600.0)
    with _finish_open_work(old_url) as e:
        for process_id in ("review", "mi"):
            sql, events = _figures(e, process_id)
            assert sql == events
        # pi-3 (started at 09:40 by that wfengine) waited 40 minutes, not two hours
        assert sql["each"] == (3, 0.0, (50 * 60 + 2 * 7200) / 3)
        sql, _ = _figures(e, "review")
        assert sql["a"] == (3, (600 + 1200 + 2400) / 3, (1200 + 0 + 4800) / 3)


def test_a_database_upgraded_before_0022_is_mended(old_url: str) -> None:
    # upgraded by the wfengine before this revision, and the work left open finished there
    # (run here on a database that skipped 0022: the later revisions run, and are rolled
    # back before it does)
    migrate.upgrade(old_url, "0021")
    _stamp(old_url, "0022")
    migrate.upgrade(old_url)
    _finish_open_work(old_url).close()
    migrate.downgrade(old_url, "0022")
    _stamp(old_url, "0021")
    migrate.upgrade(old_url)
    with Engine(db_url=old_url) as e:
        for process_id in ("review", "mi"):
            sql, events = _figures(e, process_id)
            assert sql == events
        assert e.verify_audit().ok
