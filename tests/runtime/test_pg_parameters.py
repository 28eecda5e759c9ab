"""A PostgreSQL batch's times go in binary (``wfengine.runtime.sql.parameters``) and are
stored as their text did: the same instant whatever the offset; anything else at a time's
parameter (a naive datetime, a string) goes as text, read by the server as before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from tests.runtime.test_pg_pipeline import _dialect
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.parameters import formats, numbered
from wfengine.runtime.sql.store import SqlStore

_INSERT = (
    "INSERT INTO outbox (key, kind, instance_id, payload, created_at, status, attempts) "
    "VALUES (%s::VARCHAR, %s::VARCHAR, %s::VARCHAR, %s::JSON, %s::TIMESTAMP WITH TIME ZONE, "
    "%s::VARCHAR, %s::INTEGER)"
)


@pytest.fixture
def engine(pg_url: str) -> Iterator[sa.Engine]:
    SqlStore(pg_url).close()  # the schema
    made = create_engine(pg_url, poolclass=sa.pool.StaticPool)  # one connection: its zone
    yield made
    made.dispose()


def _stored(engine: sa.Engine, *times: object) -> list[datetime]:
    """Each of ``times`` written by a batch on a connection whose zone is Asia/Kolkata
    (+05:30), read back in UTC."""
    dialect = _dialect(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("SET TIME ZONE 'Asia/Kolkata'")
        conn.commit()
        with dialect.transaction(conn, batched=True), dialect.batched(conn) as run:
            for n, when in enumerate(times):
                run(_INSERT, (f"k{n}", "kind", "pi-1", "{}", when, "pending", 0))
        found = conn.execute(sa.select(t.outbox.c.created_at).order_by(t.outbox.c.key))
        return [when.astimezone(UTC) for when in found.scalars()]


def test_aware_times_are_stored_as_the_same_instant(engine: sa.Engine) -> None:
    when = datetime(2027, 1, 4, 9, 30, 15, 123456, tzinfo=UTC)
    other = when.astimezone(timezone(timedelta(hours=-7, minutes=-15)))
    assert _stored(engine, when, other, when.replace(year=1969)) == [
        when,
        when,
        when.replace(year=1969),
    ]


def test_a_naive_time_or_a_string_goes_as_text(engine: sa.Engine) -> None:
    """Read by the server in the connection's zone, or by its own offset, as ever."""
    naive = datetime(2027, 1, 4, 9, 30)
    text = "2027-01-04 09:30:00+02"
    assert _stored(engine, naive, text) == [
        datetime(2027, 1, 4, 4, 0, tzinfo=UTC),
        datetime(2027, 1, 4, 7, 30, tzinfo=UTC),
    ]


def test_only_a_parameter_cast_to_a_time_goes_in_binary() -> None:
    found = formats(_INSERT, "t", "b")
    assert found.binary == (4,)
    assert found.text == ["t"] * 7 and found.mixed == ["t"] * 4 + ["b"] + ["t"] * 2
    sql = "SELECT %s::TIMESTAMP, '%%s', %s::TIMESTAMP WITH TIME ZONE"
    assert formats(sql, "t", "b").binary == (1,)
    assert numbered("SELECT %s, '%%', %s") == "SELECT $1, '%', $2"
