"""Which indexes the audit trail keeps (migration 0015): none on ``(kind, at)``, whose pages a
command's events of several kinds each rewrote on every commit. A query naming kinds still
returns its events in time order, page after page, read through the time index (the process
index when it names a process) rather than a scan of the whole trail, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.runtime.plans import first_statement, query_plan
from wfengine import Engine, PackageBuilder, VirtualClock


def _indexed_columns(url: str, table: str) -> list[list[str | None]]:
    engine = sa.create_engine(url)
    try:
        return [ix["column_names"] for ix in sa.inspect(engine).get_indexes(table)]
    finally:
        engine.dispose()


def test_kind_queries_read_through_the_time_index(db_url: str) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main").activity("enter", performer="clerk").activity("book")
    p.transition("enter", "book")
    clock = VirtualClock()
    with Engine(db_url=db_url, clock=clock) as e:
        e.deploy(pb.build())
        for _ in range(4):
            iid = e.start_process("main")
            (item,) = e.work_items(iid)
            e.complete_work_item(item.id)
            clock.advance(timedelta(minutes=5))
        since = clock.now() - timedelta(minutes=12)
        everything = e.audit_events()
        wanted = [x for x in everything if x.kind == "work_item.completed" and x.at >= since]
        assert len(wanted) == 2
        assert e.audit_events(kind="work_item.completed", since=since) == wanted
        first = e.audit_events(kind="work_item.completed", since=since, limit=1)
        assert first == wanted[:1]
        rest = e.audit_events(kind="work_item.completed", since=since, after=first[-1])
        assert rest == wanted[1:]
        by_kind = first_statement(
            e, "audit_events", lambda: e.audit_events(kind="work_item.completed", since=since)
        )
        by_process = first_statement(
            e, "audit_events", lambda: e.audit_events(process_id="main", kind="activity.started")
        )
        started = [x for x in everything if x.kind == "activity.started"]
        assert e.audit_events(process_id="main", kind="activity.started") == started

    assert ["kind", "at"] not in _indexed_columns(db_url, "audit_events")
    for (statement, parameters), index in (
        (by_kind, "ix_audit_events_at"),
        (by_process, "ix_audit_events_process_at"),
    ):
        plan = query_plan(db_url, statement, parameters, analyze="audit_events")
        assert index in plan, (statement, plan)
