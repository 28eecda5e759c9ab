"""bench/audit_metrics.py times both figures the same number of times, as its notes say.

The Python baseline was timed once against the median of three database runs. Nothing is
timed here: the computations are counted, on a trail of the seed alone.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO_ROOT

BENCH = REPO_ROOT / "bench"


@pytest.fixture
def audit_metrics(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The script as a module (its siblings importable), unloaded again afterwards."""
    before = set(sys.modules)
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_audit_metrics", BENCH / "audit_metrics.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    for name in set(sys.modules) - before:
        del sys.modules[name]


def test_database_and_python_figures_are_each_run_three_times(
    audit_metrics: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
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
