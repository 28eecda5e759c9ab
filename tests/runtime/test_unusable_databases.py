"""A database that refuses the work for a reason of its own (read-only, full, not a database)
is a :class:`~wfengine.errors.StoreUnavailableError` (a :class:`~wfengine.errors.StoreError`)
raised at once, naming the database and saying what to check, not SQLAlchemy's exception
quoting the SQL; nothing is changed. (What the store makes of a constraint, a lost race, is
unchanged: ``test_durable``, ``test_sql_seams``.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreError, StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.store import SqlStore


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("note", "STRING", initial="'x'")
    p.activity("desk", performer="clerk")
    return pb


def _made(path: Path) -> str:
    """A SQLite database at ``path`` with ``main`` deployed and one instance started; its id."""
    with Engine(db_url=f"sqlite:///{path}") as engine:
        engine.deploy(_package().build())
        return engine.start_process("main")


def _refused(exc: StoreUnavailableError, what: str, check: str) -> None:
    message = str(exc)
    assert isinstance(exc, StoreError)  # what a host catches of the store
    assert what in message and check in message and "nothing was changed" in message
    assert "SQL:" not in message and "parameters" not in message  # no statement quoted
    assert isinstance(exc.__cause__, sa.exc.DBAPIError)  # the driver's, for whoever digs


def test_a_read_only_database_refuses_a_write_naming_itself(tmp_path: Path) -> None:
    path = tmp_path / "wf.db"
    first = _made(path)
    # a file this process may only read (root ignores chmod: the URL says it)
    with Engine(db_url=f"sqlite:///file:{path}?mode=ro&uri=true") as engine:
        assert [s.id for s in engine.instance_summaries()] == [first]  # reads work
        with pytest.raises(StoreUnavailableError) as caught:
            engine.start_process("main")
        _refused(caught.value, "attempt to write a readonly database", "may write the file")
        assert "wf.db" in str(caught.value)
    with Engine(db_url=f"sqlite:///{path}") as engine:
        assert [s.id for s in engine.instance_summaries()] == [first]


def test_a_file_that_is_not_a_database_is_refused_as_the_engine_opens(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"not a database" * 300)
    with pytest.raises(StoreUnavailableError) as caught:
        Engine(db_url=f"sqlite:///{path}")
    _refused(caught.value, "file is not a database", "restore it from a backup")
    assert str(path) in str(caught.value)


def test_a_full_database_refuses_a_write_and_keeps_what_it_had(tmp_path: Path) -> None:
    path = tmp_path / "wf.db"
    first = _made(path)
    with Engine(db_url=f"sqlite:///{path}") as engine:
        store = engine.store
        assert isinstance(store, SqlStore)
        with store.sa_engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

        def full(conn: Any, cursor: Any, *_: Any) -> None:  # the file may not grow: a full disk
            cursor.connection.execute(f"PRAGMA max_page_count = {int(pages)}")

        sa.event.listen(store.sa_engine, "before_cursor_execute", full)
        with pytest.raises(StoreUnavailableError) as caught:
            for _ in range(50):  # until a page more is needed
                engine.start_process("main", {"note": "y" * 4000})
        _refused(caught.value, "database or disk is full", "free space")
        sa.event.remove(store.sa_engine, "before_cursor_execute", full)
        started = {s.id for s in engine.instance_summaries()}
        assert first in started
        assert all(engine.instance(iid).state.value == "open.running" for iid in started)


def test_a_read_only_postgresql_session_refuses_a_write_naming_it(pg_url: str) -> None:
    with Engine(db_url=pg_url) as engine:
        engine.deploy(_package().build())
    read_only = sa.make_url(pg_url).update_query_dict(
        {"options": "-c default_transaction_read_only=on"}
    )
    shown_url = read_only.render_as_string(hide_password=False)
    with Engine(db_url=shown_url) as engine, pytest.raises(StoreUnavailableError) as caught:
        engine.start_process("main")
    _refused(caught.value, "read-only transaction", "use the primary")
