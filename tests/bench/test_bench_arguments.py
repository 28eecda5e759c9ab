"""The benchmark scripts refuse a bad option at once, naming it and what it takes.

A bad value once ran on and failed later (StopIteration, ZeroDivisionError, KeyError) or
measured nothing and exited 0. Only the argument parsing runs here: nothing is measured.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

BENCH = REPO_ROOT / "bench"


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("run.py", ["--profile", "W9"], "argument --profile: invalid choice: 'W9'"),
        ("growth.py", ["--series", "FOO"], "argument --series: unknown series FOO; choose from"),
        ("growth.py", ["--series", ","], "argument --series: unknown series ','"),
        ("growth.py", ["--repeats", "0"], "argument --repeats: expected a whole number of at"),
        ("simulate.py", ["--instances", "0"], "argument --instances: expected a whole number"),
        (
            "worklist.py",
            ["--users", "5"],
            "argument --users: expected a whole number of at least 10",
        ),
        (
            "worklist.py",
            ["--items", "10"],
            "argument --items: expected a whole number of at least 50",
        ),
        ("audit_metrics.py", ["--events", "x"], "argument --events: expected a whole number"),
        (
            "peers/run.py",
            ["--rounds", "-1"],
            "argument --rounds: expected a whole number of at least 1",
        ),
        (
            "peers/run.py",
            ["--peers", ""],
            "argument --peers: name at least one engine of wfengine,",
        ),
    ],
)
def test_bad_option_exits_2_naming_it(script: str, args: list[str], expected: str) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_profile_takes_a_workload_in_any_case() -> None:
    """``--profile w3`` still profiles W3 (the choice is matched upper-cased)."""
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--profile", "w3", "--no-postgres"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "function calls" in result.stdout
