"""bench/audit_metrics.py times both figures the same number of times, as its notes say.

The Python baseline was timed once against the median of three database runs. Nothing is
timed here: the computations are counted, on a small seed trail.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.bench.conftest import BENCH


def test_database_and_python_figures_are_each_run_three_times(
    bench_script: Callable[[Path], ModuleType], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    audit_metrics = bench_script(BENCH / "audit_metrics.py")
    monkeypatch.setattr(audit_metrics, "SEED_INSTANCES", 20)
    calls = {"database": 0, "python": 0}

    def counted(kind: str, fn: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            calls[kind] += 1
            return fn(*args, **kwargs)

        return run

    monkeypatch.setattr(
        audit_metrics, "process_metrics", counted("database", audit_metrics.process_metrics)
    )
    monkeypatch.setattr(
        audit_metrics, "activity_metrics_of", counted("python", audit_metrics.activity_metrics_of)
    )
    row = audit_metrics._row("sqlite", f"sqlite:///{tmp_path / 'bench.db'}", 1)
    assert calls == {"database": 3, "python": 3}
    assert row["events"] > 0 and row["workload"] == "METRICS"
