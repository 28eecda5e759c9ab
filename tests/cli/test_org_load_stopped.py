"""``wfengine org load`` stopped by a locked database or Ctrl-C says what is stored and how
to finish.

- On a locked (or full) database it printed a raw traceback ending in StoreUnavailableError
  and exited 1; ``org show`` likewise. Now exit 2 with the store's message.
- Stopped after the organisation was stored (the re-offer of the open work part done), the
  message said "stored data is unchanged", and Ctrl-C said "Aborted!" only: the new
  organisation was stored and most open work stayed offered to people it no longer knows.
  Now it says the organisation is stored and the re-offer stopped after N of M open work
  items, and to load the same file again, which finishes it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import wfengine.runtime.reoffer as reoffer
import wfengine.runtime.sql.sqlite_pragmas as sqlite_pragmas
import wfengine.worklist.org_store as org_store
from tests.cli.databases import cli
from tests.cli.test_worker_org_reload import _desk, _load, _org
from wfengine.cli.database import open_engine
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.store import SqlStore
from wfengine.worklist.org_store import read_organisation

TICKETS = 5


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database whose organisation has the clerk ann, five tickets offered to her; a
    locked database is given up on at once (no waits between attempts)."""
    monkeypatch.setattr(sqlite_pragmas, "SQLITE_BUSY_TIMEOUT_MS", 1)
    monkeypatch.setattr(RetryPolicy, "delay", lambda _self, _failures: 0.0)
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    _load(url, _org("ann"))
    setup = open_engine(url, defer=False)  # (offers the tickets' work now)
    try:
        setup.deploy(_desk().build())
        for _ in range(TICKETS):
            setup.start_process("ticket")
    finally:
        setup.close()
    return url


@pytest.fixture
def ben_file(tmp_path: Path) -> str:
    """An organisation file: ann left, ben is the clerk now."""
    path = tmp_path / "org.yaml"
    path.write_text("users:\n  - {id: ben, roles: [clerk]}\n")
    return str(path)


@pytest.fixture
def lock(tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Take the database's write lock as another process would (released at the end)."""
    holder = sqlite3.connect(tmp_path / "wf.db", isolation_level=None)

    def take() -> None:
        holder.execute("BEGIN IMMEDIATE")

    try:
        yield take
    finally:
        if holder.in_transaction:
            holder.rollback()
        holder.close()


def _offered(url: str) -> list[tuple[str, ...]]:
    reader = open_engine(url)
    try:
        return sorted(w.assignees for w in reader.store.open_work_items())
    finally:
        reader.close()


def _stored_users(url: str) -> list[str]:
    reader = open_engine(url)
    try:
        assert isinstance(reader.store, SqlStore)
        stored = read_organisation(reader.store)
        assert stored is not None
        return [u.id for u in stored.document.users]
    finally:
        reader.close()


def _stop_at_the_third_instance(monkeypatch: pytest.MonkeyPatch, stop: Callable[[], None]) -> None:
    """Have the re-offer call ``stop`` as it begins its third instance."""
    real = reoffer._reoffer_instance
    begun: list[str] = []

    def counted(engine: Any, instance_id: str, *args: Any) -> Any:
        begun.append(instance_id)
        if len(begun) == 3:
            stop()
        return real(engine, instance_id, *args)

    monkeypatch.setattr(reoffer, "_reoffer_instance", counted)


def test_a_locked_database_is_exit_2_and_the_stored_organisation_kept(
    url: str, ben_file: str, lock: Callable[[], None]
) -> None:
    lock()
    refused = cli("org", "load", ben_file, "--db", url)
    assert refused.exit_code == 2, refused.output
    assert "Traceback" not in refused.output
    assert "database is locked" in refused.stderr
    assert "another connection or process holds the database's write lock" in refused.stderr
    assert "is stored" not in refused.stderr  # (nothing was)
    assert _stored_users(url) == ["ann"]


def test_a_lock_taken_during_the_re_offer_says_the_organisation_is_stored(
    url: str, ben_file: str, lock: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stop_at_the_third_instance(monkeypatch, lock)
    stopped = cli("org", "load", ben_file, "--db", url)
    assert stopped.exit_code == 2, stopped.output
    assert "Traceback" not in stopped.output
    said = " ".join(stopped.stderr.split())
    assert (
        f"the organisation in {ben_file} is stored, but offering the open work afresh by it "
        f"stopped after 2 of {TICKETS} open work items, the others still offered as before: "
        f"run `wfengine org load {ben_file}` again (the same --db) to finish it." in said
    )
    assert "What stopped it (the step it was taking was undone):" in said
    assert "database is locked" in said
    assert _stored_users(url) == ["ben"]
    assert _offered(url) == [("ann",)] * 3 + [("ben",)] * 2


def test_ctrl_c_during_the_re_offer_says_how_to_finish_it(
    url: str, ben_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt() -> None:
        raise KeyboardInterrupt

    _stop_at_the_third_instance(monkeypatch, interrupt)
    stopped = cli("org", "load", ben_file, "--db", url)
    assert stopped.exit_code == 130, stopped.output
    assert stopped.stderr.rstrip().endswith("Aborted!")
    assert "Traceback" not in stopped.output
    assert (
        f"the organisation in {ben_file} is stored, but offering the open work afresh by it "
        f"was interrupted after 2 of {TICKETS} open work items"
    ) in " ".join(stopped.stderr.split())
    assert f"run `wfengine org load {ben_file}` again" in stopped.stderr
    assert _offered(url) == [("ann",)] * 3 + [("ben",)] * 2
    monkeypatch.undo()  # the second load, as the message says, finishes it
    again = cli("org", "load", ben_file, "--db", url)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[1] == "re-offered 3 open work items by the new organisation"
    assert _offered(url) == [("ben",)] * TICKETS


def test_show_on_a_database_that_fails_is_exit_2(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(_store: SqlStore) -> None:
        raise StoreUnavailableError("the database wf.db failed (disk I/O error)")

    monkeypatch.setattr(org_store, "read_organisation", unavailable)
    shown = cli("org", "show", "--db", url)
    assert shown.exit_code == 2, shown.output
    assert "Traceback" not in shown.output
    assert "the database wf.db failed (disk I/O error)" in shown.stderr
