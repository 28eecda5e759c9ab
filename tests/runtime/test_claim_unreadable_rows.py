"""A job whose row, or whose instance's row, cannot be read (edited by hand: not JSON, not an
object, a time that is none) is left out of a SQL store's claims, said once, and left queued
as it was; every other job runs, a worker running until idle ends, and a repaired row runs.
A claim used to fail as a whole on such a row (the driver decoded the rows), every round."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import schema
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.states import ProcessState
from wfengine.runtime.worker import Worker

_pi, _jobs = schema.process_instances, schema.jobs


def _started(engine: Engine, count: int) -> list[str]:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a").activity("b").transition("a", "b")
    engine.deploy(pb.build())
    return [engine.start_process("main", defer=True) for _ in range(count)]


def _store(engine: Engine) -> SqlStore:
    assert isinstance(engine.store, SqlStore)
    return engine.store


def _execute(engine: Engine, statement: str, **params: str) -> None:
    with _store(engine).sa_engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def _job_row(engine: Engine, instance_id: str) -> dict[str, object]:
    with _store(engine).sa_engine.connect() as conn:
        query = sa.select(_jobs.c.id, _jobs.c.attempts, _jobs.c.lock_owner).where(
            _jobs.c.instance_id == instance_id
        )
        return dict(conn.execute(query).mappings().one())


def test_a_document_that_is_not_an_object_leaves_its_job_out_and_the_others_run(
    sql_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    ids = _started(sql_engine, 3)
    _execute(sql_engine, "UPDATE process_instances SET state_blob = '[]' WHERE id = :i", i=ids[0])
    before = _job_row(sql_engine, ids[0])
    with caplog.at_level(logging.WARNING, logger="wfengine.store"):
        assert sql_engine.run_due_jobs() == 2  # (no exception: another instance's bad row)
        assert sql_engine.run_due_jobs() == 0  # not claimed again, nor said again
    assert [sql_engine.instance(i).state for i in ids[1:]] == [ProcessState.COMPLETED] * 2
    said = [r.getMessage() for r in caplog.records if "left out job" in r.getMessage()]
    assert len(said) == 1
    assert repr(str(before["id"])) in said[0] and repr(ids[0]) in said[0]
    assert "state_blob is list, not an object" in said[0]
    assert _job_row(sql_engine, ids[0]) == before  # queued as it was: no lease, no count
    assert not sql_engine.has_work()  # no work this engine could take
    assert sql_engine.next_due_at() is None


def test_a_job_payload_that_cannot_be_decoded_leaves_only_that_job_out(
    sql_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    ids = _started(sql_engine, 2)
    bad = '{"$wf": "datetime", "v": "garbage"}'
    _execute(sql_engine, "UPDATE jobs SET payload = :p WHERE instance_id = :i", p=bad, i=ids[1])
    with caplog.at_level(logging.WARNING, logger="wfengine.store"):
        assert sql_engine.run_due_jobs() == 1
    assert sql_engine.instance(ids[0]).state is ProcessState.COMPLETED
    assert "its row cannot be read" in caplog.text and repr(ids[1]) in caplog.text
    assert _job_row(sql_engine, ids[1])["lock_owner"] is None


def _sqlite_engine(tmp_path: Path) -> Engine:
    return Engine(db_url=f"sqlite:///{tmp_path / 'bad.db'}")


def test_text_that_is_not_json_does_not_stop_a_worker_running_until_idle(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite keeps any text in a JSON column: the claim's rows were decoded by the driver,
    and the JSONDecodeError failed every claim (the worker died, every job waited)."""
    with _sqlite_engine(tmp_path) as engine:
        ids = _started(engine, 4)
        _execute(engine, "UPDATE process_instances SET state_blob = '[1,2' WHERE id = :i", i=ids[0])
        _execute(engine, "UPDATE jobs SET payload = '{oops' WHERE instance_id = :i", i=ids[2])
        url = str(_store(engine).url)
    worker = Worker(lambda: Engine(db_url=url), concurrency=2, until_idle=True)
    with caplog.at_level(logging.WARNING, logger="wfengine.store"):
        worker.run()  # ends: what cannot be read is no work left
    assert worker.ran == 2
    said = [r.getMessage() for r in caplog.records if "left out job" in r.getMessage()]
    assert len(said) == 2  # once each, whichever threads met them
    assert any(repr(ids[0]) in m and "instance's row cannot be read" in m for m in said)
    assert any(repr(ids[2]) in m and "its row cannot be read" in m for m in said)
    with Engine(db_url=url) as engine:
        assert engine.instance(ids[1]).state is ProcessState.COMPLETED
        assert engine.instance(ids[3]).state is ProcessState.COMPLETED
        _execute(engine, "UPDATE jobs SET payload = NULL WHERE instance_id = :i", i=ids[2])
        assert engine.run_due_jobs() == 1  # a new store: the repaired row runs
        assert engine.instance(ids[2]).state is ProcessState.COMPLETED
        assert len(engine.store.jobs()) == 1  # the unreadable one, still queued


def test_a_time_that_is_none_leaves_its_job_out(tmp_path: Path) -> None:
    with _sqlite_engine(tmp_path) as engine:
        ids = _started(engine, 2)
        _execute(engine, "UPDATE process_instances SET created_at = 'x' WHERE id = :i", i=ids[0])
        assert engine.run_due_jobs() == 1
        assert _job_row(engine, ids[0])["lock_owner"] is None
