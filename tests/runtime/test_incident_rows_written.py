"""The ``incidents`` rows a command writes: those of the incidents it opened or resolved only.

Before, every command on an instance that ever had an incident deleted and inserted again all
of its incident rows, resolved ones included: a case whose flaky call was retried K times wrote
K rows per command, and a split of N failing calls skipped one by one N rows per skip. What
the rows say must still be what the instance holds after every way an incident is answered,
on every store, and after the database is opened again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import STORES, store_url
from wfengine import ApplicationRegistry, Engine, Organisation, PackageBuilder
from wfengine.runtime.sql.store import SqlStore


class Service:
    """An application that fails while ``down`` (INOUT ``n``: one more each call)."""

    def __init__(self) -> None:
        self.down: set[str] = set()

    def registry(self, names: str) -> ApplicationRegistry:
        registry = ApplicationRegistry()
        for name in names:
            registry.register(name, self._app(name))
        return registry

    def _app(self, name: str) -> Any:
        def call(n: int) -> dict[str, int]:
            if name in self.down:
                raise ConnectionError(f"service {name} down")
            return {"n": n + 1}

        return call


def loop_package() -> PackageBuilder:
    """``work`` (a person's), then ``call`` (application ``a``), round and round."""
    pb = PackageBuilder("pkg")
    p = pb.process("loop")
    p.data_field("n", "INTEGER", initial="0")
    p.application("a", params=[("n", "INOUT", "INTEGER")])
    p.route("begin").route("merge", gateway="Exclusive")
    p.activity("work", performer="clerk").activity("call", tool="a", args=["n"])
    p.route("check", gateway="Exclusive").route("end")
    p.transition("begin", "merge").transition("merge", "work").transition("work", "call")
    p.transition("call", "check").transition("check", "end", condition="n >= 1000")
    p.transition("check", "merge", condition="n < 1000")
    return pb


def split_package() -> PackageBuilder:
    """A parallel split into calls of ``a``, ``b`` and ``c``, joined, then ``review``."""
    pb = PackageBuilder("pkg")
    p = pb.process("split")
    p.data_field("n", "INTEGER", initial="0")
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    for name in ("a", "b", "c"):
        p.application(name, params=[("n", "INOUT", "INTEGER")])
        p.activity(f"call_{name}", tool=name, args=["n"])
        p.transition("split", f"call_{name}").transition(f"call_{name}", "join")
    p.activity("review", performer="clerk").transition("join", "review")
    return pb


#: the one person who does the work
CLERKS = Organisation.from_data({"users": [{"id": "u1", "roles": ["clerk"]}]})


class IncidentWrites:
    """Counts the ``incidents`` rows each statement of ``store`` names (a row per parameter
    set of an executemany; a statement with no parameters counts one)."""

    def __init__(self, store: SqlStore) -> None:
        self.rows = 0
        sa.event.listen(store.sa_engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, sql: str, params: Any, ctx: Any, many: bool) -> None:
        if "incidents" in sql:
            self.rows += len(params) if many else 1


def open_engine(url: str | None, service: Service, apps: str) -> Engine:
    return Engine(db_url=url, directory=CLERKS, applications=service.registry(apps))


def test_resolved_incidents_are_not_written_again(tmp_path: Path) -> None:
    service = Service()
    with open_engine(f"sqlite:///{tmp_path / 'w.db'}", service, "a") as engine:
        engine.deploy(loop_package().build())
        iid = engine.start_process("loop")
        service.down.add("a")
        for _ in range(10):  # each round the call fails; the operator retries it once it is up
            engine.complete_work_item(engine.work_items(iid)[0].id, user="u1")
            [incident] = engine.incidents(iid)
            service.down.discard("a")
            engine.retry_incident(incident.id)
            service.down.add("a")
        service.down.discard("a")
        assert isinstance(engine.store, SqlStore)
        writes = IncidentWrites(engine.store)
        engine.complete_work_item(engine.work_items(iid)[0].id, user="u1")  # the call works
        assert writes.rows == 0  # (before: the 10 resolved incidents deleted and inserted)
        assert engine.instance(iid).data["n"] == 11


def test_skipping_one_of_many_writes_its_row_only(tmp_path: Path) -> None:
    service = Service()
    service.down.update("abc")
    with open_engine(f"sqlite:///{tmp_path / 'w.db'}", service, "abc") as engine:
        engine.deploy(split_package().build())
        iid = engine.start_process("split")
        first, *others = engine.incidents(iid)
        assert isinstance(engine.store, SqlStore)
        writes = IncidentWrites(engine.store)
        engine.skip_incident(first.id)
        # the incident's instance looked up by its id (one read), its row written resolved
        assert writes.rows == 2
        assert [i.id for i in engine.incidents()] == [i.id for i in others]


@pytest.mark.parametrize("kind", STORES)
def test_incident_rows_read_back_after_each_answer(
    request: pytest.FixtureRequest, kind: str, tmp_path: Path
) -> None:
    service = Service()
    service.down.update("abc")
    url = store_url(request, kind, tmp_path)
    engine = open_engine(url, service, "abc")
    engine.deploy(split_package().build())
    iid = engine.start_process("split")
    other = engine.start_process("split")
    by_activity = {i.activity_id: i.id for i in engine.incidents(iid)}
    engine.skip_incident(by_activity["call_a"])
    engine.retry_incident(by_activity["call_b"])  # still down: opens a new incident
    agree(engine, iid)
    engine.abort_incident(engine.incidents(other)[0].id)  # closing resolves the others
    agree(engine, other)
    if url is not None:  # the database opened again: rows and documents as they were
        engine.close()
        engine = open_engine(url, service, "abc")
        agree(engine, iid)
    service.down.clear()
    for incident in engine.incidents(iid):
        engine.retry_incident(incident.id)
    agree(engine, iid)
    assert engine.incidents() == []
    engine.complete_work_item(engine.work_items(iid)[0].id, user="u1")
    assert engine.instance(iid).data["n"] == 2  # b's call and c's (a's was skipped)
    agree(engine, iid)
    engine.close()


def agree(engine: Engine, instance_id: str) -> None:
    """The open incidents listed across instances (the ``incidents`` rows, on a database)
    are those the instance holds; on a database each row says what the instance says."""
    held = engine.incidents(instance_id)  # (read from the instance)
    listed = [i for i in engine.incidents() if i.instance_id == instance_id]
    assert [i.id for i in listed] == [i.id for i in held]
    store = engine.store
    if not isinstance(store, SqlStore):
        return
    inst = store.instance(instance_id)
    expected = {
        i.id: (i.resolved, i.activity_id, i.operation, i.message, i.attempts)
        for i in inst.incidents.values()
    }
    t = sa.table(
        "incidents",
        *(sa.column(n) for n in ("id", "instance_id", "resolved", "activity_id")),
        *(sa.column(n) for n in ("operation", "message", "attempts")),
    )
    query = sa.select(t).where(t.c.instance_id == instance_id)
    with store.sa_engine.connect() as conn:
        found = {
            r.id: (bool(r.resolved), r.activity_id, r.operation, r.message, r.attempts)
            for r in conn.execute(query)
        }
    assert found == expected
