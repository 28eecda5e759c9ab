"""Four indexes leave out the rows where their column is NULL (migration 0014): an audit
event's user, an outbox entry's next attempt and settling time, a work item's holder. Most rows
have NULL there, so a commit no longer writes index entries no query reads; the queries that
read these indexes still do, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from tests.runtime.plans import first_statement, query_plan
from wfengine import Engine, PackageBuilder

#: index -> the column that must be set for a row to be in it
PARTIAL = {
    "ix_audit_events_user_at": "user_id",
    "ix_outbox_next_attempt_at": "next_attempt_at",
    "ix_outbox_settled_at": "settled_at",
    "ix_work_items_held": "holder",
}


def _process() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("main").activity("work", performer="clerk")
    return pb


def test_the_indexes_leave_out_null_rows_and_the_queries_still_use_them(db_url: str) -> None:
    url = db_url
    with Engine(db_url=url) as e:
        e.deploy(_process().build())
        iids = [e.start_process("main") for _ in range(3)]
        item = e.work_items(iids[0])[0]
        e.claim_work_item(item.id, "clerk")
        e.complete_work_item(item.id, user="clerk")
        e.deliver_outbox()  # settles every entry (skipped: nobody subscribed)
        users = first_statement(e, "audit_events", lambda: e.audit_events(user="clerk"))
        held = first_statement(e, "work_items", lambda: e.work_items_of("clerk"))
        e.start_process("main")  # a pending entry again
        due = first_statement(e, "outbox", e.deliver_outbox)
        pruned = first_statement(e, "outbox", e.outbox.prune)
        assert {ev.kind for ev in e.audit_events(user="clerk")} >= {"work_item.completed"}
        assert [w.id for w in e.work_items_of("clerk")] == [
            w.id for w in e.work_items() if w.instance_id != iids[0]
        ]

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                found = conn.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                ).all()
            else:
                found = conn.exec_driver_sql("SELECT indexname, indexdef FROM pg_indexes").all()
    finally:
        engine.dispose()
    definitions = {name: text for name, text in found}
    for index, column in PARTIAL.items():
        text = definitions[index].replace("(", "").replace(")", "")
        assert f"WHERE {column} IS NOT NULL" in text, definitions[index]

    for (statement, parameters), table, index in (
        (users, "audit_events", "ix_audit_events_user_at"),
        (held, "work_items", "ix_work_items_held"),
        (due, "outbox", "ix_outbox_next_attempt_at"),
        (pruned, "outbox", "ix_outbox_settled_at"),
    ):
        plan = query_plan(url, statement, parameters, analyze=table)
        assert index in plan, (statement, plan)
