"""The benchmark script keeps working (short mode; no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_bench_quick_json_reports_every_workload() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "run.py"), "--quick", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["workload"] for r in rows] == ["W1", "W2", "W3", "W4"]
    for r in rows:
        assert {
            "workload",
            "store",
            "instances",
            "activities",
            "seconds",
            "activities_per_s",
        } <= set(r)
        assert r["activities"] > 0 and r["store"] == "memory"
