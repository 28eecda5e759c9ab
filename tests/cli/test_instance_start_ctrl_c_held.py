"""Ctrl-C during ``wfengine instance start --count N`` stops between starts, never after a
start's commit and before its id is printed.

Python delivers SIGINT at the next bytecode, so one pressed during a start's COMMIT came out
of ``start_process`` after SQLite had stored the instance: stored, but neither printed nor
counted, and "K of N were started; start the remaining N-K" then started one too many (with
K = 0, nothing was printed yet one instance existed). Now the start under way finishes and
prints its id, then the command stops (130, the same message); a second Ctrl-C stops that start
at once and the message says it may have been stored. SIGINT is raised from inside the start
(``signal.raise_signal`` runs Python's handler before it returns), as a terminal's would land.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import start_desk_instances, stored_instance_ids
from wfengine.cli.held_interrupts import interrupts_held
from wfengine.runtime.engine import Engine

pytestmark = pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(),
    reason="Python runs signal handlers in the main thread only",
)


#: what the first Ctrl-C is answered with, on stderr
HEARD = (
    "\nCtrl-C: stopping after the start under way (at once if it waits for the database); "
    "press Ctrl-C again to stop it now\n"
)


def _ctrl_c() -> None:
    signal.raise_signal(signal.SIGINT)


def _during_start(monkeypatch: pytest.MonkeyPatch, n: int, before: int, after: int) -> None:
    """Press Ctrl-C ``before`` times as the ``n``-th start begins, ``after`` times once it
    has stored its instance (its commit returned)."""
    real = Engine.start_process
    calls = 0

    def start_process(self: Engine, *args: Any, **kwargs: Any) -> str:
        nonlocal calls
        calls += 1
        pressed = calls == n
        for _ in range(before if pressed else 0):
            _ctrl_c()
        iid = real(self, *args, **kwargs)
        for _ in range(after if pressed else 0):
            _ctrl_c()
        return iid

    monkeypatch.setattr(Engine, "start_process", start_process)


def test_ctrl_c_after_a_commit_prints_and_counts_that_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _during_start(monkeypatch, 3, before=0, after=1)
    result = start_desk_instances(tmp_path, 5)
    assert result.exit_code == 130
    printed = result.stdout.split()
    assert len(printed) == 3
    assert "\n3 of 5 instances were started (their ids were printed); start the remaining 2 " in (
        result.stderr
    )
    assert result.stderr.endswith("Aborted!\n")
    monkeypatch.undo()
    assert stored_instance_ids(tmp_path) == printed


def test_ctrl_c_during_the_first_start_prints_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _during_start(monkeypatch, 1, before=0, after=1)
    result = start_desk_instances(tmp_path, 5)
    assert result.exit_code == 130
    assert "1 of 5 instances were started" in result.stderr
    monkeypatch.undo()
    assert stored_instance_ids(tmp_path) == result.stdout.split() != []


def test_ctrl_c_during_the_last_start_has_nothing_left_to_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _during_start(monkeypatch, 3, before=1, after=0)
    result = start_desk_instances(tmp_path, 3)
    assert result.exit_code == 0
    assert result.stderr == HEARD  # said at the press; nothing after
    monkeypatch.undo()
    assert stored_instance_ids(tmp_path) == result.stdout.split() != []
    assert len(result.stdout.split()) == 3


def test_a_second_ctrl_c_stops_the_start_at_once_and_says_it_may_be_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _during_start(monkeypatch, 3, before=1, after=1)
    result = start_desk_instances(tmp_path, 5)
    assert result.exit_code == 130
    printed = result.stdout.split()
    assert len(printed) == 2
    assert "2 of 5 instances were started (their ids were printed)" in result.stderr
    assert "Ctrl-C was pressed again while an instance was being started: it may have been " in (
        result.stderr
    )
    monkeypatch.undo()
    stored = stored_instance_ids(tmp_path)
    assert stored[:2] == printed and len(stored) == 3  # the one stopped midway had committed


def test_the_ctrl_c_handler_before_is_back_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = signal.getsignal(signal.SIGINT)
    _during_start(monkeypatch, 2, before=0, after=1)
    assert start_desk_instances(tmp_path, 3).exit_code == 130
    assert signal.getsignal(signal.SIGINT) is before
    with pytest.raises(KeyboardInterrupt):
        _ctrl_c()  # delivered at once again


def _handler_inside() -> Any:
    """SIGINT's handler inside :func:`interrupts_held` (after a ``deliver``: nothing noted)."""
    with interrupts_held() as held:
        held.deliver()
        return signal.getsignal(signal.SIGINT)


def test_an_ignored_ctrl_c_stays_ignored() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert _handler_inside() == signal.SIG_IGN
        _ctrl_c()  # ignored, as before: nothing raised
    finally:
        signal.signal(signal.SIGINT, previous)


def test_outside_the_main_thread_nothing_is_held() -> None:
    seen: list[Any] = []
    thread = threading.Thread(target=lambda: seen.append(_handler_inside()))
    thread.start()
    thread.join()
    assert seen == [signal.getsignal(signal.SIGINT)]
