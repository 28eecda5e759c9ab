"""The store's per-operation queries stay one index range however many rows are stored: a
job claim does not read every running instance, a page of a filtered listing or of one
instance's audit trail does not sort every match, an outbox claim does not read the delivered
entries kept for retention. Checked by the database's plan on SQLite and PostgreSQL (what the
query will read), not by timing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from tests.runtime.plans import first_statement, query_plan
from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.runtime.sql.store import SqlStore


def _package() -> PackageBuilder:
    pb = PackageBuilder("growth")
    pb.participant("clerk")
    pb.process("desk").activity("answer", performer="clerk")
    auto = pb.process("auto")
    auto.application("noop")
    auto.activity("a1", tool="noop")
    return pb


def test_finding_due_jobs_reads_the_jobs_not_the_running_instances(db_url: str) -> None:
    with Engine(db_url=db_url, clock=VirtualClock(), defer_automatic=True) as e:
        e.applications.register("noop", lambda: {})
        e.deploy(_package().build())
        for _ in range(30):  # running, waiting for a person: no jobs
            e.start_process("desk")
        e.start_process("auto")  # its automatic step is a due job
        polled = first_statement(e, "jobs", e.has_work)
        upcoming = first_statement(e, "jobs", e.next_due_at)
        claimed = first_statement(e, "jobs", lambda: e.run_due_jobs(limit=1, deliver=False))
    for statement, parameters in (polled, upcoming, claimed):
        plan = query_plan(db_url, statement, parameters, analyze="process_instances")
        if not db_url.startswith("sqlite"):
            # PostgreSQL weighs a semi-join by its statistics: on these few rows hashing the
            # running instances is cheapest, on many a key lookup per job; it must only run
            continue
        # each job's instance is looked up by its key; the state index (every running
        # instance) is not where the query starts
        assert "ix_process_instances_state" not in plan, (statement, plan)
        assert "SCAN process_instances" not in plan, (statement, plan)
        assert "SEARCH process_instances USING INDEX sqlite_autoindex" in plan, plan


def test_a_page_of_instances_in_a_state_or_of_a_process_is_an_index_range(db_url: str) -> None:
    with Engine(db_url=db_url, clock=VirtualClock()) as e:
        e.deploy(_package().build())
        ids = [e.start_process("desk") for _ in range(8)]
        running = e.instance_summaries(state="open.running", limit=3)
        by_state = _last_statement(
            e, lambda: e.instance_summaries(state="open.running", limit=3, after=running[-1].id)
        )
        by_process = first_statement(
            e, "process_instances", lambda: e.instance_summaries(process_id="desk", limit=3)
        )
        assert [s.id for s in running] == ids[:3]
    for (statement, parameters), index in (
        (by_state, "ix_process_instances_state_listing"),
        (by_process, "ix_process_instances_process_listing"),
    ):
        plan = query_plan(db_url, statement, parameters, analyze="process_instances")
        assert index in plan, (statement, plan)
        assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_a_page_of_one_instances_audit_trail_is_an_index_range(db_url: str) -> None:
    with Engine(db_url=db_url, clock=VirtualClock()) as e:
        e.deploy(_package().build())
        iid = e.start_process("desk")
        e.start_process("desk")
        first = e.audit_events(instance_id=iid, limit=2)
        statement, parameters = first_statement(
            e, "audit_events", lambda: e.audit_events(instance_id=iid, after=first[-1], limit=2)
        )
        pages = first + e.audit_events(instance_id=iid, after=first[-1], limit=100)
        assert pages == e.audit_events(instance_id=iid)
    plan = query_plan(db_url, statement, parameters, analyze="audit_events")
    assert "ix_audit_events_instance_at" in plan, plan
    if db_url.startswith("sqlite"):
        # the range starts at the page's last event, not at its time: events of one command
        # share a time (here, all of them), and a page must not reread them all
        assert "(at,seq)>(?,?)" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_opening_an_engine_reads_the_last_job_number_from_an_index(db_url: str) -> None:
    with Engine(db_url=db_url, clock=VirtualClock()) as e:
        statement, parameters = first_statement(e, "jobs", e.store.last_job_seq)
    plan = query_plan(db_url, statement, parameters, analyze="jobs")
    assert "ix_jobs_seq" in plan, plan


def test_claiming_outbox_entries_reads_the_pending_not_the_settled_ones(db_url: str) -> None:
    with Engine(db_url=db_url, clock=VirtualClock()) as e:
        e.deploy(_package().build())
        e.outbox.subscribe(lambda _entry: None, ["work_item.offered"])
        for _ in range(20):
            e.start_process("desk")
        e.outbox.deliver()  # delivered and skipped rows, kept for the retention period
        e.start_process("desk")  # new entries to deliver
        sent = _statements(e, e.outbox.deliver)
        claims = [(s, p) for s, p in sent if "ORDER BY outbox.id" in s]
        assert claims, sent
        assert [r.status.value for r in e.outbox.entries(status=None)].count("pending") == 0
    for statement, parameters in claims:
        plan = query_plan(db_url, statement, parameters, analyze="outbox")
        # the pending entries' ids in id order, read until a batch is found: neither the
        # settled rows (the primary key) nor a sort of every due entry
        assert "ix_outbox_pending" in plan, (statement, plan)
        assert "'SCAN outbox'" not in plan and "Seq Scan" not in plan, plan
        assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def _last_statement(engine: Engine, call: Callable[[], object]) -> tuple[str, Any]:
    """The last statement ``call`` sends (a page after an instance first reads that
    instance's time, by key), with its parameters."""
    return _statements(engine, call)[-1]


def _statements(engine: Engine, call: Callable[[], object]) -> list[tuple[str, Any]]:
    """The statements ``call`` sends, with their parameters."""
    assert isinstance(engine.store, SqlStore)
    sent: list[tuple[str, Any]] = []

    def record(_c: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        sent.append((statement, parameters))

    sa.event.listen(engine.store.sa_engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        sa.event.remove(engine.store.sa_engine, "before_cursor_execute", record)
    assert sent, "no statement"
    return sent
