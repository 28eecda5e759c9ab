"""Connections the PostgreSQL server dropped (a restart, an idle timeout, an administrator)
are replaced without the caller noticing: the first statement on one fails as a disconnect,
and the retry policy runs the read or the whole write transaction again on a new connection.
The store does not ping each connection it takes from the pool (that cost a round trip per
command)."""

from __future__ import annotations

import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.store import SqlStore


def _drop_every_other_connection(url: str) -> int:
    admin = create_engine(url)
    try:
        with admin.connect() as conn:
            dropped = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    finally:
        admin.dispose()
    return int(dropped)


def test_commands_carry_on_after_the_server_dropped_their_connections(pg_url: str) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("desk")
    p.activity("answer", performer="clerk").activity("done").transition("answer", "done")
    with Engine(store=SqlStore(pg_url)) as e:
        e.deploy(pb.build())
        iid = e.start_process("desk")
        assert _drop_every_other_connection(pg_url) >= 1  # the engine's pooled connection
        (item,) = e.work_items(iid)  # a read
        assert _drop_every_other_connection(pg_url) >= 1
        e.complete_work_item(item.id)  # a write transaction
        assert _drop_every_other_connection(pg_url) >= 1
        second = e.start_process("desk")
        assert e.instance(iid).state is ProcessState.COMPLETED
        assert e.instance(second).state is ProcessState.RUNNING
