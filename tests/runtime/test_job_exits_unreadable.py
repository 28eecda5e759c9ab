"""A job that raises ``SystemExit`` in a worker thread fails like any job: an incident on its
instance, or, when even that instance cannot be read, the job logged and given back with the
back-off; the worker thread never dies of it."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest

from tests.runtime.test_worker_unreadable_instances import _newer_document
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.jobs import Job
from wfengine.runtime.navigation import Navigator


def _in_a_thread(engine: Engine) -> tuple[int | None, BaseException | None]:
    found: list[int | None] = [None]
    raised: list[BaseException | None] = [None]

    def run() -> None:
        try:
            found[0] = engine.run_due_jobs()
        except BaseException as exc:  # (the thread's death, which must not happen)
            raised[0] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return found[0], raised[0]


def test_a_job_exiting_in_a_thread_whose_instance_cannot_be_read_is_given_back(
    sql_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a").activity("b").transition("a", "b")
    sql_engine.deploy(pb.build())
    iid = sql_engine.start_process("main", defer=True)

    def exits(nav: Navigator, job: Job, inst: ProcessInstance) -> None:
        _newer_document(sql_engine, iid)  # meanwhile a newer wfengine stored it
        raise SystemExit(3)  # e.g. a library calling sys.exit

    sql_engine.job_handlers["continue"] = exits
    with caplog.at_level(logging.ERROR, logger="wfengine.engine"):
        ran, raised = _in_a_thread(sql_engine)
    assert raised is None and ran == 0
    assert "cannot become an incident" in caplog.text and iid in caplog.text
    (job,) = sql_engine.store.jobs()
    assert job.lock_owner is None  # given back, with the back-off
    assert job.due - sql_engine.clock.now() > timedelta(0)
