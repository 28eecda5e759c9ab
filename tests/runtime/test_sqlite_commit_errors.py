"""SQLite: a COMMIT the library refused (a disk I/O error, the file unable to grow) has a known
outcome, nothing stored: it is tried again as it is, and when the
attempts run out the error says stored data is unchanged and to check the disk's free space
and whether the file may be written, not that the COMMIT's answer never came."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.store import SqlStore

FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.002)


def _desk() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("desk").activity("answer", performer="clerk")
    return pb


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}", retry=FAST_RETRY)
    with Engine(store=store) as engine:
        engine.deploy(_desk().build())
        yield engine


class _DiskFails:
    """The next ``times`` COMMITs on the store's SQLite connections fail in the library as a
    disk that cannot be written does, without committing."""

    def __init__(self, engine: Engine, monkeypatch: pytest.MonkeyPatch, times: int) -> None:
        store = engine.store
        assert isinstance(store, SqlStore)
        self.times = times
        self.failed = 0
        sa_dialect = store.sa_engine.dialect
        real = sa_dialect.do_commit

        def do_commit(dbapi_connection: Any) -> None:
            if self.times > 0:
                self.times -= 1
                self.failed += 1
                error = sqlite3.OperationalError("disk I/O error")
                error.sqlite_errorcode = 10  # SQLITE_IOERR
                error.sqlite_errorname = "SQLITE_IOERR"
                raise error
            real(dbapi_connection)

        monkeypatch.setattr(sa_dialect, "do_commit", do_commit)


def test_when_the_disk_keeps_failing_the_error_says_nothing_was_stored_and_what_to_check(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    fault = _DiskFails(engine, monkeypatch, times=1000)
    with pytest.raises(StoreUnavailableError) as caught:
        engine.start_process("desk")
    message = str(caught.value)
    assert fault.failed == FAST_RETRY.attempts
    assert "disk I/O error" in message
    assert "each attempt was rolled back, stored data is unchanged" in message
    assert "free space" in message and "may write the file" in message
    assert "never came" not in message and "database is up" not in message
    fault.times = 0
    assert engine.instance_summaries() == []  # indeed nothing


def test_a_commit_the_disk_refused_once_is_tried_again_and_stored_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    fault = _DiskFails(engine, monkeypatch, times=1)
    iid = engine.start_process("desk")
    assert fault.failed == 1
    assert [s.id for s in engine.instance_summaries()] == [iid]
    assert [a.kind for a in engine.audit(iid)].count("instance.created") == 1
