"""Steps per second on each store: the same commands on memory, SQLite and PostgreSQL.

A *step* is one engine command, which on a SQL store is one committed transaction (the new
state, its audit events, work items and jobs together). The workload is W4's complaint: start
an instance (one step: intake and the Exclusive split run inside it), then, for the half that
is not satisfied at once, complete its two manual work items (one step each). The ratio to the
in-memory store, measured in the same run, is what durability costs per step.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine


def steps_row(store: str, url: str | None, package: Package, n: int) -> dict[str, Any]:
    """Run ``n`` W4 instances on ``url`` (None: memory); the measured row."""
    with Engine(db_url=url) as engine:
        engine.deploy(package)
        steps = 0
        t0 = time.perf_counter()
        for k in range(n):
            iid = engine.start_process("w4", {"satisfied": k % 2 == 0})
            steps += 1
            for _ in range(2):
                items = engine.work_items(iid)
                if not items:
                    break
                engine.complete_work_item(items[0].id)
                steps += 1
        elapsed = time.perf_counter() - t0
        states = {i.state.value for i in engine.instance_summaries()}
        activities = sum(len(engine.activity_instances(i.id)) for i in engine.instances())
    if states != {"closed.completed"}:
        raise SystemExit(f"STEPS on {store}: instances ended {states}")
    return {
        "workload": "STEPS",
        "store": store,
        "instances": n,
        "steps": steps,
        "activities": activities,
        "seconds": round(elapsed, 6),
        "steps_per_s": round(steps / elapsed, 1),
        "activities_per_s": round(activities / elapsed, 1),
    }


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'bench.db'}"


def print_row(row: dict[str, Any], as_json: bool) -> None:
    """Print a measured row at once: a later store that fails (a PostgreSQL server that
    refuses) must not take the rows already measured with it."""
    if as_json:
        print(json.dumps(row), flush=True)
    else:
        print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
