"""``wfengine instance start --count N`` stopped partway says how many it started.

Each instance commits on its own, so a database outage after the first ones left them stored
(their ids printed) while the store's message said "stored data is unchanged ... then retry":
retrying as told started all N again. Now, once one has started, the message says K of N were
started and to start the remaining N-K, with what stopped the next one; the exit status is
the failure's (2 for the database, 1 for a refusal). Stopped before the first, it is as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import start_desk_instances, stored_instance_ids
from wfengine.errors import StoreUnavailableError, WorkflowError
from wfengine.runtime.engine import Engine

OUTAGE = "the database x failed 4 times in a row; each attempt was rolled back"


def _fail_on_call(monkeypatch: pytest.MonkeyPatch, n: int, error: Exception) -> None:
    """Make the ``n``-th ``start_process`` raise ``error`` (the calls before it start)."""
    real = Engine.start_process
    calls = 0

    def start_process(self: Engine, *args: Any, **kwargs: Any) -> str:
        nonlocal calls
        calls += 1
        if calls == n:
            raise error
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Engine, "start_process", start_process)


def test_an_outage_after_two_of_five_says_two_were_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on_call(monkeypatch, 3, StoreUnavailableError(OUTAGE))
    result = start_desk_instances(tmp_path, 5)
    assert result.exit_code == 2
    printed = result.stdout.split()
    assert len(printed) == 2
    assert result.stderr == (
        "Error: 2 of 5 instances were started (their ids were printed); start the remaining 3 "
        f"(--count 3). What stopped the next one (it was not started): {OUTAGE}\n"
    )
    monkeypatch.undo()
    assert stored_instance_ids(tmp_path) == printed


def test_a_refusal_partway_keeps_its_exit_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on_call(monkeypatch, 2, WorkflowError("refused"))
    result = start_desk_instances(tmp_path, 3)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 1 of 3 instances were started")
    assert result.stderr.endswith("What stopped the next one (it was not started): refused\n")


def test_ctrl_c_partway_says_how_many_were_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on_call(monkeypatch, 4, KeyboardInterrupt())
    result = start_desk_instances(tmp_path, 5)
    assert result.exit_code == 130
    assert "3 of 5 instances were started (their ids were printed); start the remaining 2 " in (
        result.stderr
    )
    assert result.stderr.endswith("Aborted!\n")


def test_an_outage_before_the_first_is_said_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on_call(monkeypatch, 1, StoreUnavailableError(OUTAGE))
    result = start_desk_instances(tmp_path, 5)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {OUTAGE}\n")
