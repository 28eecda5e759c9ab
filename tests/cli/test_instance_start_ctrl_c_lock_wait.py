"""Ctrl-C during ``wfengine instance start --count N`` while a start waits for its database.

The start under way is held to its end so its id is printed (test_instance_start_ctrl_c_held),
but a start waiting for a SQLite write lock another process holds (or an outage) retried for
about a minute with the Ctrl-C only noted, then failed: exit 2 with the database's error, the
Ctrl-C ignored. Now the store's next retry stops it (each attempt was rolled back: nothing of
it is stored), exit 130 with how many were started; a Ctrl-C pressed during the attempt that
then fails for good ends as Ctrl-C too (130), the failure said. The lock is stood in for by an
attempt that raises SQLite's "database is locked", the press by ``signal.raise_signal`` from
inside that attempt (Python runs the handler before it returns), as a terminal's would land.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.cli.databases import start_desk_instances, stored_instance_ids
from wfengine.cli.held_interrupts import interrupts_held
from wfengine.runtime import interrupt_points
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import database, store

pytestmark = pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(),
    reason="Python runs signal handlers in the main thread only",
)


def _ctrl_c() -> None:
    signal.raise_signal(signal.SIGINT)


def _locked() -> sa.exc.OperationalError:
    return sa.exc.OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))


def _locked_during_start(monkeypatch: pytest.MonkeyPatch, n: int, *, fails: int) -> None:
    """The ``n``-th start finds the database locked for its first ``fails`` attempts, and
    Ctrl-C is pressed during the last of them."""
    real_start, real_retries = Engine.start_process, database.run_with_retries
    state = {"starts": 0, "failed": 0}

    def start_process(self: Engine, *args: Any, **kwargs: Any) -> str:
        state["starts"] += 1
        return real_start(self, *args, **kwargs)

    def run_with_retries(attempt: Callable[[], Any], **kwargs: Any) -> Any:
        def locked_attempt() -> Any:
            if state["starts"] == n and state["failed"] < fails:
                state["failed"] += 1
                if state["failed"] == fails:
                    _ctrl_c()
                raise _locked()
            return attempt()

        return real_retries(locked_attempt, **kwargs)

    monkeypatch.setattr(Engine, "start_process", start_process)
    monkeypatch.setattr(database, "run_with_retries", run_with_retries)


@pytest.mark.usefixtures("fast_retry")
def test_ctrl_c_while_a_start_waits_for_the_lock_stops_at_its_next_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _locked_during_start(monkeypatch, 3, fails=1)  # the lock is free again at the retry
    result = start_desk_instances(tmp_path, 5)
    assert result.exit_code == 130
    printed = result.stdout.split()
    assert len(printed) == 2
    assert "press Ctrl-C again to stop it now\n2 of 5 instances were started (their ids " in (
        result.stderr
    )
    assert "may have been stored" not in result.stderr
    assert result.stderr.endswith("Aborted!\n")
    monkeypatch.undo()
    assert stored_instance_ids(tmp_path) == printed  # the start stopped at its retry stored nothing


@pytest.mark.usefixtures("fast_retry")
@pytest.mark.parametrize("n", [1, 3])
def test_ctrl_c_during_a_start_that_then_fails_exits_as_ctrl_c_with_the_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n: int
) -> None:
    attempts = store.RetryPolicy().attempts  # fast_retry's: pressed during the last
    _locked_during_start(monkeypatch, n, fails=attempts)
    result = start_desk_instances(tmp_path, 5)
    assert result.exit_code == 130
    assert len(result.stdout.split()) == n - 1
    assert "\nThe start under way failed: the database " in result.stderr
    assert f"failed {attempts} times in a row" in result.stderr
    assert "stored data is unchanged" in result.stderr
    assert (f"{n - 1} of 5 instances were started" in result.stderr) == (n > 1)
    assert result.stderr.endswith("Aborted!\n")
    monkeypatch.undo()
    assert stored_instance_ids(tmp_path) == result.stdout.split()


def test_a_held_ctrl_c_stops_at_an_interrupt_point_in_the_holding_thread_only() -> None:
    with interrupts_held() as held:
        _ctrl_c()
        assert held.pending
        thread = threading.Thread(target=interrupt_points.interrupt_point)
        thread.start()
        thread.join()
        assert held.pending  # (another thread's point: nothing to stop there)
        with pytest.raises(KeyboardInterrupt):
            interrupt_points.interrupt_point()
        assert not held.pending and not held.forced
    interrupt_points.interrupt_point()  # nothing held any more: a no-op


def test_a_second_ctrl_c_whose_handler_does_not_raise_leaves_nothing_in_doubt() -> None:
    """A host's own SIGINT handler that cancels its task instead of raising (asyncio.run's):
    the unit was not stopped midway, so no "may have been stored" follows."""
    heard: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: heard.append(signum))
    try:
        with interrupts_held() as held:
            _ctrl_c()
            _ctrl_c()
            assert heard == [signal.SIGINT]
            assert not held.forced
    finally:
        signal.signal(signal.SIGINT, previous)
