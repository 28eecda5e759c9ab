"""A start on a SQLite file reads its process's latest version once per connection for as long
as nothing can have deployed since (``PRAGMA data_version``, and the deployments this process
stored): every start still runs the version deployed last, by whichever engine or store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from wfengine import Engine, PackageBuilder
from wfengine.runtime.sql.store import SqlStore


def _package(activity: str) -> Any:
    pb = PackageBuilder("desk")
    pb.process("desk").activity(activity, performer="clerk")
    return pb.build()


def _ran(engine: Engine) -> str:
    """The activity of the work item a new instance of ``desk`` offers (the version's)."""
    iid = engine.start_process("desk")
    (item,) = engine.work_items(iid)
    return item.activity_id


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'wf.db'}"


def test_a_start_runs_the_version_another_engine_deployed_since(tmp_path: Path) -> None:
    with Engine(db_url=_url(tmp_path)) as a, Engine(db_url=_url(tmp_path)) as b:
        a.deploy(_package("first"))
        assert _ran(a) == "first"
        assert _ran(a) == "first"  # (kept)
        b.deploy(_package("second"))  # another connection committed: data_version moved
        assert _ran(a) == "second"
        assert _ran(b) == "second"


def test_a_start_runs_the_version_its_own_engine_deployed_since(tmp_path: Path) -> None:
    with Engine(db_url=_url(tmp_path)) as e:
        e.deploy(_package("first"))
        assert _ran(e) == "first"
        # the deploy commits on the connection that kept "first", whose data_version its
        # own commits leave as it was
        e.deploy(_package("second"))
        assert _ran(e) == "second"


def test_the_latest_version_is_read_once_until_something_may_have_deployed(
    tmp_path: Path,
) -> None:
    with Engine(db_url=_url(tmp_path)) as a, Engine(db_url=_url(tmp_path)) as b:
        a.deploy(_package("first"))
        store = a.store
        assert isinstance(store, SqlStore)
        seen: list[str] = []

        def statement(_c: Any, _cur: Any, sql: str, *_rest: Any) -> None:
            if "FROM deployments" in sql:
                seen.append(sql)

        sa.event.listen(store.sa_engine, "before_cursor_execute", statement)
        _ran(a)
        _ran(a)
        assert len(seen) == 1
        b.start_process("desk")  # another engine's commit (no deploy): read again
        _ran(a)
        assert len(seen) == 2
