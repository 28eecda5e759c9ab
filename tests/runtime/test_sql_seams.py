"""The SQL store's seams: statements per command, dialects in one place, records free of rows."""

from __future__ import annotations

import ast
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.events import ConnectionEvents

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ConcurrencyError
from wfengine.runtime import sql
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.jobs import Job
from wfengine.runtime.sql.connect import begin, create_engine
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.states import ProcessState
from wfengine.runtime.store import Step

SQL_PACKAGE = Path(sql.__file__).parent

#: statements (BEGIN included) per command, as measured before the store was split into its
#: seams (commit 050403c); a command may cost fewer, never more. Two exceptions, new rows
#: rather than a cost of the store: completing the first branch's work item used to write no
#: outbox entry, and since the outbox is delivered it announces ``work_item.completed`` (one
#: more INSERT, in the same transaction; the other commands already wrote outbox rows); and
#: the worklist index (``work_item_offers``, so that a user's worklist is an index range scan)
#: costs one INSERT when an item is offered and one DELETE when an offered item is completed
_OFFERED, _UNOFFERED = 1, 1
MOST_STATEMENTS = {
    "sqlite": {
        "start": 8 + _OFFERED,
        "complete": 8 + _UNOFFERED,
        "start parallel": 7 + _OFFERED,
        "complete first branch": 8 + 1 + _UNOFFERED,
        "complete last branch": 9 + _UNOFFERED,
        "set_data": 4,
    },
    "postgresql": {
        "start": 7 + _OFFERED,
        "complete": 7 + _UNOFFERED,
        "start parallel": 6 + _OFFERED,
        "complete first branch": 7 + 1 + _UNOFFERED,
        "complete last branch": 8 + _UNOFFERED,
        "set_data": 3,
    },
}


def _review(pb: PackageBuilder) -> None:
    p = pb.process("review")
    p.data_field("amount", "INTEGER", initial="0")
    p.activity("check", performer="clerk", deadlines=[("PT1H", "Late", "ASYNCHR")])
    p.activity("remind").activity("done")
    p.transition("check", "done").transition("check", "remind", exception="Late")


def _parallel(pb: PackageBuilder) -> None:
    p = pb.process("parallel")
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    for name in ("a", "b"):
        p.activity(name, performer="clerk").transition("split", name).transition(name, "join")
    p.activity("after").transition("join", "after")


class _Statements:
    """Counts the statements the store sends while :meth:`count` runs."""

    def __init__(self, store: SqlStore) -> None:
        self.seen: list[str] | None = None
        #: what the last :meth:`count` saw
        self.seen_last: list[str] = []
        sa.event.listen(store.sa_engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.seen is not None:
            self.seen.append(statement)

    def count(self, command: Callable[[], object]) -> int:
        self.seen = []
        try:
            command()
            return len(self.seen)
        finally:
            self.seen_last, self.seen = self.seen, None


@pytest.fixture
def measured(db_url: str) -> Iterator[tuple[Engine, _Statements]]:
    with Engine(store=SqlStore(db_url), clock=VirtualClock()) as e:
        pb = PackageBuilder("pkg")
        _review(pb)
        _parallel(pb)
        e.deploy(pb.build())
        for process_id in ("review", "parallel"):  # compiles each and reserves id blocks
            e.start_process(process_id)
        assert isinstance(e.store, SqlStore)
        yield e, _Statements(e.store)


def test_commands_cost_no_more_statements_than_before(measured: tuple[Engine, _Statements]) -> None:
    e, statements = measured
    assert isinstance(e.store, SqlStore)
    most = MOST_STATEMENTS[e.store.sa_engine.dialect.name]
    counts: dict[str, int] = {}
    iid = ""

    def start() -> None:
        nonlocal iid
        iid = e.start_process("review", {"amount": 1})

    counts["start"] = statements.count(start)
    [item] = e.work_items(iid)
    counts["complete"] = statements.count(lambda: e.complete_work_item(item.id, {"amount": 2}))
    counts["start parallel"] = statements.count(lambda: e.start_process("parallel"))
    pid = e.instance_summaries(process_id="parallel")[-1].id
    first, last = e.work_items(pid)
    counts["complete first branch"] = statements.count(lambda: e.complete_work_item(first.id))
    counts["complete last branch"] = statements.count(lambda: e.complete_work_item(last.id))
    running = e.start_process("review")
    counts["set_data"] = statements.count(lambda: e.set_data(running, {"amount": 3}))
    assert {k: min(v, most[k]) for k, v in counts.items()} == counts, (counts, most)


def test_only_the_dialects_module_tells_the_databases_apart() -> None:
    """``pipeline.py`` is the PostgreSQL dialect's own (its commit's batch on libpq): only
    ``dialects.py`` imports it."""
    for module in SQL_PACKAGE.glob("*.py"):
        tree = ast.parse(module.read_text())
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] + [
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
        ]
        if module.name != "dialects.py":
            assert "wfengine.runtime.sql.pipeline" not in imported, module.name
        if module.name in ("dialects.py", "pipeline.py"):
            continue
        assert not [m for m in imported if m.startswith("sqlalchemy.dialects")], module.name
        assert not [m for m in imported if m.startswith("psycopg")], module.name
        assert "_pg" not in module.read_text(), module.name


def test_transactions_are_opened_by_the_dialect() -> None:
    """On SQLite the dialect issues BEGIN itself (no SQLAlchemy listener does), so an
    ``engine.begin()`` or ``conn.begin()`` anywhere else would commit each statement on its
    own: transactions go through ``Dialect.transaction`` or ``connect.begin``."""
    package = SQL_PACKAGE.parents[1]
    found = [
        f"{module.relative_to(package)}:{node.lineno}"
        for module in package.rglob("*.py")
        if module.name != "dialects.py"
        for node in ast.walk(ast.parse(module.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "begin"
    ]
    assert found == []


def test_sqlite_engines_dispatch_no_connection_events(tmp_path: Path) -> None:
    """One connection-event listener makes SQLAlchemy dispatch every connection event of every
    statement (a tenth of a SQLite command's time, measured)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'wf.db'}")
    try:
        events = [n for n in ConnectionEvents.__dict__ if n[0] != "_" and n != "dispatch"]
        assert "before_cursor_execute" in events
        assert [n for n in events if getattr(engine.dispatch, n, None)] == []
        with begin(engine) as conn:  # and its transactions work without one
            conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    finally:
        engine.dispose()


def test_a_sqlite_write_transaction_takes_the_write_lock_at_its_start(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: two writers queue for the lock instead of both reading first and one
    failing when it upgrades."""
    path = tmp_path / "wf.db"
    engine = create_engine(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with begin(engine) as conn:
            conn.exec_driver_sql("SELECT 1")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        with begin(engine, write=False) as conn:  # a read takes no write lock
            conn.exec_driver_sql("SELECT 1")
            other.execute("BEGIN IMMEDIATE")
            other.execute("COMMIT")
    finally:
        other.close()
        engine.dispose()


def test_a_transaction_is_all_or_nothing_and_a_read_one_keeps_its_snapshot(db_url: str) -> None:
    engine = create_engine(db_url)
    with begin(engine) as conn:  # a table of its own, gone after
        conn.exec_driver_sql("DROP TABLE IF EXISTS t")
    try:
        with begin(engine) as conn:
            conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
        with pytest.raises(RuntimeError, match="midway"), begin(engine) as conn:
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")
            raise RuntimeError("midway")
        count = "SELECT count(*) FROM t"
        with begin(engine, write=False) as conn:
            assert conn.exec_driver_sql(count).scalar() == 0
            with engine.connect() as other:  # another engine's commit meanwhile
                other.exec_driver_sql("INSERT INTO t VALUES (2)")
                other.commit()
            assert conn.exec_driver_sql(count).scalar() == 0
        with engine.connect() as conn:
            assert conn.exec_driver_sql(count).scalar() == 1
    finally:
        with begin(engine) as conn:  # the database is the next test's too
            conn.exec_driver_sql("DROP TABLE IF EXISTS t")
        engine.dispose()


def test_the_sql_modules_stay_small() -> None:
    sizes = {m.name: len(m.read_text().splitlines()) for m in SQL_PACKAGE.glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 500} == {}


def test_instances_carry_no_sql_bookkeeping() -> None:
    names = {f.name for f in fields(ProcessInstance)}
    assert not {n for n in names if n.startswith("stored_")}


def test_the_sqlalchemy_engine_is_sa_engine(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")
    try:
        with pytest.deprecated_call(match="sa_engine"):
            assert store.engine is store.sa_engine
        assert isinstance(store.sa_engine, sa.Engine)
    finally:
        store.close()


def test_an_instance_read_outside_the_committing_command_is_a_lost_race(db_url: str) -> None:
    """The unit of work, not the instance, knows the row version read: an instance it did not
    read is taken for a new one, and storing it again is refused as a race the engine retries."""
    with Engine(db_url=db_url) as e:
        pb = PackageBuilder("pkg")
        _review(pb)
        e.deploy(pb.build())
        iid = e.start_process("review")
        stale = e.store.instance(iid)  # outside any unit: nothing remembers its row version
        with e.store.unit(), pytest.raises(ConcurrencyError, match="stored already"):
            e.store.commit(Step(instances={iid: stale}))
        with e.store.unit():
            fresh = e.store.instance(iid)
            e.store.commit(Step(instances={iid: fresh}))
            e.store.commit(Step(instances={iid: fresh}))  # the unit knows the version written
        assert e.instance(iid).state is ProcessState.RUNNING


def test_statements_that_cannot_change_anything_are_not_sent(db_url: str) -> None:
    """A process run to its end by one command never had a stored job, and a command that
    leaves the join tokens as they were does not rewrite them."""
    with Engine(store=SqlStore(db_url), clock=VirtualClock()) as e:
        pb = PackageBuilder("pkg")
        pb.process("auto").activity("a").activity("b").transition("a", "b")
        _review(pb)
        e.deploy(pb.build())
        e.start_process("auto")
        assert isinstance(e.store, SqlStore)
        statements = _Statements(e.store)
        statements.seen = []
        e.start_process("auto")
        iid = e.start_process("review")
        e.set_data(iid, {"amount": 5})
        sent, statements.seen = statements.seen, None
        assert not [s for s in sent if s.startswith("DELETE FROM jobs")], sent
        assert not [s for s in sent if s.startswith("DELETE FROM tokens")], sent


def test_an_instance_update_sets_only_what_can_change(db_url: str) -> None:
    """The instance row's update leaves out the columns set once (process, version, parents,
    creation time), and sets the state only when the command changed it: SQLite rewrites the
    index entries of every column an UPDATE sets, one more page per index per commit. The
    stored state stays right through commands that change it and commands that do not."""
    with Engine(store=SqlStore(db_url), clock=VirtualClock()) as e:
        pb = PackageBuilder("pkg")
        _review(pb)
        e.deploy(pb.build())
        iid = e.start_process("review")
        assert isinstance(e.store, SqlStore)
        statements = _Statements(e.store)

        def update_of(command: Callable[[], object]) -> str:
            statements.count(command)
            sent = statements.seen_last
            found = [s for s in sent if "UPDATE process_instances" in s]
            assert len(found) == 1, sent
            return found[0].split(" WHERE ")[0]

        kept = update_of(lambda: e.set_data(iid, {"amount": 5}))
        for column in ("state", "process_id", "definition_version", "created_at"):
            assert f"{column}=" not in kept.replace(" ", ""), kept
        assert "data=" in kept.replace(" ", "") and "state_blob=" in kept.replace(" ", "")
        suspended = update_of(lambda: e.suspend(iid))
        assert "state=" in suspended.replace(" ", ""), suspended
        assert "created_at=" not in suspended.replace(" ", "")
        assert [i.id for i in e.instances(state=ProcessState.SUSPENDED)] == [iid]
        update_of(lambda: e.set_data(iid, {"amount": 6}))
        assert [i.id for i in e.instances(state=ProcessState.SUSPENDED)] == [iid]
        update_of(lambda: e.resume(iid))
        assert [i.id for i in e.instances(state=ProcessState.RUNNING)] == [iid]
        update_of(lambda: e.complete_work_item(e.work_items(iid)[0].id))
        assert [i.id for i in e.instances(state=ProcessState.COMPLETED)] == [iid]
        assert e.instance(iid).data["amount"] == 6


def test_running_a_job_reads_the_job_and_its_instance_in_one_statement(db_url: str) -> None:
    with Engine(store=SqlStore(db_url), clock=VirtualClock()) as e:
        pb = PackageBuilder("pkg")
        pb.process("auto").activity("a").activity("b").transition("a", "b")
        e.deploy(pb.build())
        iid = e.start_process("auto", defer=True)
        assert isinstance(e.store, SqlStore)
        statements = _Statements(e.store)
        statements.seen = []
        assert e.run_due_jobs(deliver=False) == 1
        sent, statements.seen = statements.seen, None
        flat = [" ".join(s.split()) for s in sent if s.lstrip().startswith("SELECT")]
        # a read by a given id (the due-jobs query's EXISTS names the instance by a job's
        # column, process_instances.id = jobs.instance_id or a claim-mate's: no read by id)
        by_id_read = re.compile(r"WHERE (jobs\.id (=|IN)|process_instances\.id =) (?!\w+\.)")
        by_id = [s for s in flat if by_id_read.search(s)]
        # not one for the job and one for its instance: the claim's, which the command takes
        assert len(by_id) == 1, by_id
        assert "FROM jobs JOIN process_instances ON" in by_id[0]
        assert e.instance(iid).state is ProcessState.COMPLETED


def test_a_database_error_in_the_commits_batch_is_sqlalchemys_and_rolls_back(db_url: str) -> None:
    """On PostgreSQL the commit's inserts go in one pipeline, whose errors arrive at its end,
    outside SQLAlchemy's execute: they still reach the engine as SQLAlchemy's errors (which the
    retry policy reads), and nothing of the step is stored."""
    with Engine(db_url=db_url, clock=VirtualClock()) as e:
        pb = PackageBuilder("pkg")
        _review(pb)
        e.deploy(pb.build())
        iid = e.start_process("review")
        store = e.store
        assert isinstance(store, SqlStore)
        job = Job("job-dup", "continue", iid, datetime(2027, 1, 4, tzinfo=UTC))
        with store.unit():
            store.commit(Step(instances={iid: store.instance(iid)}, jobs=[job]))
        before = e.audit(iid)
        # (the repeated id is told as such; the driver's error is its cause)
        with store.unit(), pytest.raises(ConcurrencyError, match=r"job 'job-dup'") as refused:
            inst = store.instance(iid)
            inst.data["amount"] = 5
            store.commit(Step(instances={iid: inst}, jobs=[job]))  # the same job id again
        assert isinstance(refused.value.__cause__, sa.exc.IntegrityError)
        _transactions_begin_again(store)
        assert e.audit(iid) == before
        assert e.instance(iid).data["amount"] == 0
        assert [j.id for j in store.jobs(iid)].count("job-dup") == 1
        e.set_data(iid, {"amount": 6})  # and the store writes on
        _transactions_begin_again(store)
        assert e.instance(iid).data["amount"] == 6


def _transactions_begin_again(store: SqlStore) -> None:
    """On PostgreSQL a commit runs in autocommit mode (its BEGIN sent in its pipeline): the
    connection that goes back to the pool, whether the commit failed or not, is one whose
    transactions begin again (else the statements of the next write would each commit)."""
    if store.sa_engine.dialect.name == "postgresql":
        with store.sa_engine.connect() as conn:
            raw: Any = conn.connection.dbapi_connection
            assert raw.autocommit is False
