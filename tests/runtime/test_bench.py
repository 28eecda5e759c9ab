"""The benchmark script keeps working (short mode; no timing is asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.conftest import REPO_ROOT

ROW_KEYS = {"workload", "store", "instances", "activities", "seconds", "activities_per_s"}


def _bench(*args: str, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "run.py"), "--quick", "--json", *args],
        capture_output=True,
        text=True,
        check=True,
        # stuck, not slow: the PostgreSQL run takes ~10 s idle, over 30 s on a busy machine
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    assert "warning" not in result.stderr, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_bench_quick_json_reports_every_workload_and_store() -> None:
    rows = _bench("--no-postgres")
    assert [(r["workload"], r["store"]) for r in rows] == [
        ("W1", "memory"),
        ("W2", "memory"),
        ("W3", "memory"),
        ("W4", "memory"),
        ("STEPS", "memory"),
        ("STEPS", "sqlite"),
    ]
    for r in rows:
        assert set(r) >= ROW_KEYS and r["activities"] > 0
    steps = rows[4:]
    assert all(r["steps"] > r["instances"] for r in steps)
    assert "ratio_to_memory" in steps[1]


def test_bench_reports_postgres_steps_and_worker_scaling(pg_server_url: str) -> None:
    rows = _bench(env={"WFENGINE_BENCH_PG_URL": pg_server_url})
    durable = [(r["workload"], r["store"], r.get("workers")) for r in rows[6:]]
    assert durable == [
        ("STEPS", "postgresql", None),
        ("WORKERS", "postgresql", 1),
        ("WORKERS", "postgresql", 2),
    ]
    one, two = rows[7], rows[8]
    assert one["instances"] == two["instances"] and one["activities"] == two["activities"]
    assert isinstance(two["speedup_vs_1_worker"], float)
    assert two["speedup_range"] == [two["speedup_vs_1_worker"]] * 2  # one round with --quick
    for row in (one, two):
        assert row["rounds"] == 1
        assert row["cores_busy"] is None or 0 < row["cores_busy"] <= (os.cpu_count() or 1)


def test_growth_bench_quick_reports_every_series() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "growth.py"), "--quick", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(r["series"], r["store"]) for r in rows} == {
        ("CHAIN", "memory"),
        ("CHAIN", "sqlite"),
        ("LOOP", "memory"),
        ("LOOP", "sqlite"),
        ("STORED", "sqlite"),
        ("DEPLOY", "memory"),
        ("ORJOIN", "memory"),
    }
    for r in rows:
        assert r["us_per_step"] > 0 and r["peak_mb"] > 0 and r["ratio_to_smallest"] > 0
        assert r["rounds"] == 1 and r["us_per_step_range"] == [r["us_per_step"]] * 2
