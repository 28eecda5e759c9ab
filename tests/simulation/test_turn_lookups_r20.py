"""The turns of a sequential ad-hoc set are looked up as often as the cases need, not with
the square of the cases waiting.

Every item waiting for its turn was looked up again at every step of the run (each a read of
its instance, on SQLite a query): with a day-long Tool step before a person's one, a case a
minute, 300 cases took 116 s on SQLite against 24 s without the set, 720,601 look-ups. Now
an item is looked up again only when the engine changed its instance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import wfengine.simulation.turns as turns
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, simulate


def _tool_first() -> Package:
    """The sequential set {a: a Tool activity, b: the expert's}."""
    pb = PackageBuilder("seq")
    pb.participant("expert")
    pb.application("calc")
    p = pb.process("seq")
    checks = p.activity_set("checks", adhoc="Sequential")
    checks.activity("a", tool="calc")
    checks.activity("b", performer="expert")
    p.block("review", activity_set="checks")
    return pb.build()


def _look_ups(cases: int, monkeypatch: pytest.MonkeyPatch, db_url: str | None = None) -> int:
    """How many times a run of ``cases`` (a case a minute, each b waiting a day for a) looks
    up whose turn it is; every case must complete."""
    calls = 0
    real = turns.turn_taken

    def counted(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(turns, "turn_taken", counted)
    scn = Scenario.from_data(
        {
            "process": "seq",
            "arrivals": {"every": "1m"},
            "activities": {"a": {"duration": "1d"}, "b": {"duration": "1m"}},
        }
    )
    report = simulate(_tool_first(), scn, instances=cases, seed=1, db_url=db_url)
    assert report.completed.mean == cases
    return calls


def test_look_ups_grow_with_the_cases_not_their_square(monkeypatch: pytest.MonkeyPatch) -> None:
    few, twice = _look_ups(20, monkeypatch), _look_ups(40, monkeypatch)
    # (before: 821 and 3,241, every waiting item at every step; now 3 a case)
    assert twice <= 2 * few + 10


def test_on_disk_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    few = _look_ups(20, monkeypatch, f"sqlite:///{tmp_path / 'few.db'}")
    twice = _look_ups(40, monkeypatch, f"sqlite:///{tmp_path / 'twice.db'}")
    assert twice <= 2 * few + 10
