"""A worker never dies of a job, not even of one whose instance cannot be read (a document from
a newer wfengine, a deployment this one does not compile): the job is given back with a
back-off, logged, and the other instances' jobs run."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import schema
from wfengine.runtime.states import ProcessState


def _newer_document(engine: Engine, instance_id: str) -> None:
    """Store ``instance_id`` as a newer wfengine sharing the database would."""
    pi = schema.process_instances
    with engine.store.sa_engine.begin() as conn:  # type: ignore[attr-defined]
        document = conn.execute(sa.select(pi.c.state_blob).where(pi.c.id == instance_id)).one()[0]
        conn.execute(
            sa.update(pi)
            .where(pi.c.id == instance_id)
            .values(state_blob={**document, "format": 99})
        )


def test_a_job_of_an_unreadable_instance_is_backed_off_and_the_others_run(
    sql_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a").activity("b").transition("a", "b")
    sql_engine.deploy(pb.build())
    ids = [sql_engine.start_process("main", defer=True) for _ in range(3)]
    _newer_document(sql_engine, ids[0])  # its job is claimed first
    with caplog.at_level(logging.ERROR, logger="wfengine.engine"):
        assert sql_engine.run_due_jobs() == 2
    assert [sql_engine.instance(i).state for i in ids[1:]] == [ProcessState.COMPLETED] * 2
    assert "cannot become an incident" in caplog.text and ids[0] in caplog.text
    (job,) = sql_engine.store.jobs()
    assert job.instance_id == ids[0] and job.lock_owner is None
    first = job.due - sql_engine.clock.now()
    assert first > timedelta(0)  # not claimed again at once, by anyone
    assert sql_engine.run_due_jobs() == 0
    sql_engine.clock.advance(timedelta(hours=1))  # later: tried again, and backed off longer
    assert sql_engine.run_due_jobs() == 0
    (again,) = sql_engine.store.jobs()
    assert again.due - sql_engine.clock.now() > first
