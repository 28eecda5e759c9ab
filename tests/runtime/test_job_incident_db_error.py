"""A database error that fails a job becomes an incident naming the error, never the values
bound to the statement: SQLAlchemy's text of the error appends the statement and its
parameters (an instance's data, a sensitive field's value in clear), and the driver's
DETAIL lines may repeat a row's values. The incident keeps the error's class and its first
line; the log keeps the statement, without the values."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import sqlalchemy as sa

from wfengine import ApplicationRegistry, Engine, PackageBuilder
from wfengine.runtime.stored_text import failure_text

SECRET = "pin=4712-do-not-show"


def _deferred(db_url: str) -> Engine:
    pb = PackageBuilder("pkg")
    pb.application("mk", params=[("ref", "OUT", "STRING")])
    p = pb.process("main").extended_attribute("wfengine:correlation", "ref")
    p.data_field("ref", "STRING")
    p.start("s").activity("calc", tool="mk", args=["ref"]).intermediate("c", message="reply")
    p.end("e").sequence("s", "calc", "c", "e")
    apps = ApplicationRegistry()
    apps.register("mk", lambda **kw: {"ref": SECRET})
    engine = Engine(db_url=db_url, applications=apps, defer_automatic=True)
    engine.deploy(pb.build())
    return engine


def test_a_job_failed_by_the_database_shows_no_bound_value(
    db_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with _deferred(db_url) as e:
        started = e.start_process("main", {"ref": "r1"})
        store: Any = e.store
        commit = store.commit

        def refused(step: Any) -> None:  # the job's commit: a row the database refuses
            monkeypatch.setattr(store, "commit", commit)
            duplicate = sa.text(
                "INSERT INTO correlation_keys (instance_id, key, value, value_sha256) "
                "VALUES (:i, 'ref', :v, 'x')"
            )
            with store.sa_engine.begin() as conn:
                conn.execute(duplicate, {"i": started, "v": SECRET})

        monkeypatch.setattr(store, "commit", refused)
        with caplog.at_level(logging.ERROR):
            assert e.run_due_jobs() == 1
        [incident] = e.incidents(started)
    assert "IntegrityError" in incident.message and "correlation_keys" in incident.message
    assert SECRET not in incident.message and "[SQL" not in incident.message
    assert SECRET not in caplog.text and "INSERT INTO correlation_keys" in caplog.text


def test_other_failures_read_as_before() -> None:
    assert failure_text(ValueError("bad\nsecond line")) == "ValueError: bad\nsecond line"
    error = sa.exc.IntegrityError("INSERT ...", {"v": SECRET}, Exception("refused\nDETAIL: x"))
    assert failure_text(error) == "IntegrityError: (builtins.Exception) refused"
