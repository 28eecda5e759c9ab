"""A refused insert on jobs, incidents, work items or process instances was taken for a
repeated id whatever the refusal: a NOT NULL or CHECK failure (or, on PostgreSQL, a foreign
key) ran the command again and then ended in IdTakenError blaming the id generator. Now only
the table's key on ``id`` refusing a value in use is a repeated id; any other refusal is
raised as the database's own IntegrityError. Real driver exceptions, both dialects."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder
from wfengine.errors import ConcurrencyError
from wfengine.runtime.sql import repeated_ids, schema
from wfengine.runtime.sql.connect import create_engine, normalise_url, supported


@pytest.fixture(params=("sqlite", "postgres"))
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    found = store_url(request, request.param, tmp_path)
    assert found is not None
    return found


def _refused(conn: sa.Connection, run: Callable[[], Any]) -> sa.exc.IntegrityError:
    with pytest.raises(sa.exc.IntegrityError) as raised, conn.begin_nested():
        run()
    return raised.value


def _refusal(url: str, exc: sa.exc.IntegrityError, job_id: str) -> Any:
    table = supported(normalise_url(url)).violated_table(exc)
    plan = SimpleNamespace(jobs=[{"id": job_id}], incidents=[{"id": "inc-1"}])
    plan.inserts = plan.new_items = []
    repeated_ids._refusals.last = None
    try:
        return repeated_ids.refusal(exc, table, plan)
    finally:
        repeated_ids._refusals.last = None


def test_only_the_id_key_refusing_a_used_id_is_a_repeated_id(url: str) -> None:
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("work", performer="clerk", deadlines=[("PT1H", "Late")])
    with Engine(db_url=url) as engine:
        engine.deploy(pb.build(), check_bindings=False)
        engine.start_process("ticket")
    db = create_engine(url)
    try:
        with db.connect() as conn, conn.begin():
            job = dict(conn.execute(sa.select(schema.jobs)).mappings().one())
            again = _refused(conn, lambda: conn.execute(schema.jobs.insert(), job))
            refused = _refusal(url, again, job["id"])
            assert isinstance(refused, ConcurrencyError)
            assert f"job '{job['id']}' is stored already" in str(refused)

            no_due = {**job, "id": "tm-new", "due_at": None}
            null = _refused(conn, lambda: conn.execute(schema.jobs.insert(), no_due))
            assert _refusal(url, null, "tm-new") is None

            orphan = {**job, "id": "tm-orphan", "instance_id": "pi-none"}
            fk = _refused(conn, lambda: conn.execute(schema.jobs.insert(), orphan))
            assert _refusal(url, fk, "tm-orphan") is None
            conn.rollback()
    finally:
        db.dispose()


def test_a_check_failure_is_no_repeated_id(url: str) -> None:
    if url.startswith("sqlite"):
        orig: Exception = sqlite3.IntegrityError("CHECK constraint failed: incidents.attempts")
        exc = sa.exc.IntegrityError("INSERT INTO incidents ...", {}, orig)
        assert _refusal(url, exc, "tm-1") is None
        return
    db = create_engine(url)
    try:
        with db.connect() as conn, conn.begin():
            # (a temporary incidents table: the real one has no CHECK)
            conn.exec_driver_sql(
                "CREATE TEMP TABLE incidents (id text PRIMARY KEY, attempts int "
                "CHECK (attempts >= 0))"
            )
            insert = "INSERT INTO incidents VALUES (%s, %s)"
            check = _refused(conn, lambda: conn.exec_driver_sql(insert, ("inc-1", -1)))
            assert _refusal(url, check, "tm-1") is None
            conn.exec_driver_sql(insert, ("inc-1", 0))
            taken = _refused(conn, lambda: conn.exec_driver_sql(insert, ("inc-1", 1)))
            assert isinstance(_refusal(url, taken, "tm-1"), ConcurrencyError)
            conn.rollback()
    finally:
        db.dispose()
