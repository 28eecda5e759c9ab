"""Engine throughput benchmarks: W1-W4 in memory against plain Python; steps per second on
memory, SQLite and PostgreSQL; PostgreSQL throughput with 1 and 2 worker processes.

    python bench/run.py [--json] [--quick] [--no-postgres] [--profile W1]

Each workload is timed on a fresh engine (deployment excluded), best of several repeats, and
next to it a plain-Python loop doing the same control flow with no engine at all, measured in
the same run: the ratio shows how far the engine is from the interpreter's limit. Activity
instance records and audit events are kept throughout, as in production.

W1  a chain of 100 automatic activities, x 200 instances
W2  a Parallel split into 50 branches and a Parallel join, x 200
W3  an Exclusive loop of 100 iterations over a counter (a Python application), x 50
W4  intake -> Exclusive (satisfied? -> end) -> department (manual) -> review (manual) -> end,
    x 2000, half taking each branch, the manual steps completed through the API

STEPS    W4 as engine commands (each a committed transaction on SQL), x 2000 in memory and
         x 500 on SQLite and PostgreSQL; ratio_to_memory is what durability costs per step
WORKERS  2000 deferred instances of a 22-activity automatic process drained by 1, then 2
         worker processes on PostgreSQL, 3 rounds interleaved (1 with --quick), the median
         round of each; speedup_vs_1_worker is the median of the rounds' (see bench/workers.py)

Peers (shoobx.wfmc, SpiffWorkflow, DBOS Transact) are measured side by side, in the same run
and on the same definitions with applications doing real work, by ``bench/peers/run.py``; this
script compares the engine with plain Python only.

PostgreSQL: $WFENGINE_BENCH_PG_URL names a server (a scratch database is made there and
dropped), else a throwaway server is started when initdb/pg_ctl exist (see bench/postgres.py).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postgres import postgres_database
from stores import sqlite_url, steps_row
from workers import scaling_rows

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine


@dataclass
class Workload:
    name: str
    package: Package
    instances: int
    run: Callable[[Engine, int], int]  # runs n instances, returns activities executed
    baseline: Callable[[int], int]  # plain Python, same control flow, returns activities


# --------------------------------------------------------------------------- definitions


def _w1() -> Package:
    pb = PackageBuilder("bench")
    p = pb.process("w1")
    ids = [f"a{i}" for i in range(100)]
    for a in ids:
        p.activity(a)
    p.sequence(*ids)
    return pb.build()


def _w2() -> Package:
    pb = PackageBuilder("bench")
    p = pb.process("w2")
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    for i in range(50):
        p.activity(f"b{i}").transition("split", f"b{i}").transition(f"b{i}", "join")
    return pb.build()


def _w3() -> Package:
    pb = PackageBuilder("bench")
    p = pb.process("w3")
    p.data_field("i", "INTEGER", initial="0")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    p.activity("start").activity("body", tool="inc", args=["i"]).activity("end")
    p.transition("start", "body")
    p.transition("body", "body", condition="i < 100").transition("body", "end", otherwise=True)
    return pb.build()


def _w4() -> Package:
    pb = PackageBuilder("bench")
    p = pb.process("w4")
    p.data_field("satisfied", "BOOLEAN", initial="false")
    p.activity("intake").activity("department", performer="dept")
    p.activity("review", performer="reviewer").activity("end")
    p.transition("intake", "end", condition="satisfied").transition(
        "intake", "department", otherwise=True
    )
    p.sequence("department", "review", "end")
    return pb.build()


# --------------------------------------------------------------------------- engine runs


def _activities(engine: Engine) -> int:
    return sum(len(engine.activity_instances(i.id)) for i in engine.instance_summaries())


def _run_simple(process: str) -> Callable[[Engine, int], int]:
    def run(engine: Engine, n: int) -> int:
        start = engine.start_process
        for _ in range(n):
            start(process)
        return -1

    return run


def _run_w4(engine: Engine, n: int) -> int:
    start = engine.start_process
    complete = engine.complete_work_item
    for k in range(n):
        iid = start("w4", {"satisfied": k % 2 == 0})
        for _ in range(2):
            items = engine.work_items(iid)
            if not items:
                break
            complete(items[0].id)
    return -1


# --------------------------------------------------------------------------- plain Python


def _base_w1(n: int) -> int:
    nxt = {f"a{i}": f"a{i + 1}" for i in range(99)}
    done = 0
    for _ in range(n):
        trace: list[str] = []
        node: str | None = "a0"
        while node is not None:
            trace.append(node)
            node = nxt.get(node)
        done += len(trace)
    return done


def _base_w2(n: int) -> int:
    branches = [f"b{i}" for i in range(50)]
    done = 0
    for _ in range(n):
        trace = ["split"]
        arrived = 0
        for b in branches:
            trace.append(b)
            arrived += 1
        if arrived == len(branches):
            trace.append("join")
        done += len(trace)
    return done


def _base_w3(n: int) -> int:
    def inc(n: int) -> dict[str, int]:
        return {"n": n + 1}

    done = 0
    for _ in range(n):
        data = {"i": 0}
        trace = ["start"]
        while True:
            data["i"] = inc(data["i"])["n"]
            trace.append("body")
            if not data["i"] < 100:
                break
        trace.append("end")
        done += len(trace)
    return done


def _base_w4(n: int) -> int:
    done = 0
    for k in range(n):
        data = {"satisfied": k % 2 == 0}
        trace = ["intake"]
        if not data["satisfied"]:
            trace.append("department")
            trace.append("review")
        trace.append("end")
        done += len(trace)
    return done


WORKLOADS: list[Callable[[], Workload]] = [
    lambda: Workload("W1", _w1(), 200, _run_simple("w1"), _base_w1),
    lambda: Workload("W2", _w2(), 200, _run_simple("w2"), _base_w2),
    lambda: Workload("W3", _w3(), 50, _run_simple("w3"), _base_w3),
    lambda: Workload("W4", _w4(), 2000, _run_w4, _base_w4),
]


def _engine(w: Workload) -> Engine:
    engine = Engine()
    engine.applications.register("inc", lambda n: {"n": n + 1})
    engine.deploy(w.package, check_bindings=False)  # "inc" is bound for W3 only
    return engine


def measure(w: Workload, n: int, repeats: int) -> dict[str, Any]:
    best = float("inf")
    activities = 0
    for _ in range(repeats):
        engine = _engine(w)
        t0 = time.perf_counter()
        w.run(engine, n)
        elapsed = time.perf_counter() - t0
        activities = _activities(engine)
        states = {i.state.value for i in engine.store.instance_summaries()}
        if states != {"closed.completed"}:
            raise SystemExit(f"{w.name}: instances ended {states}, expected closed.completed")
        best = min(best, elapsed)
    base_best = float("inf")
    base_acts = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        base_acts = w.baseline(n)
        base_best = min(base_best, time.perf_counter() - t0)
    if base_acts != activities:
        raise SystemExit(f"{w.name}: baseline ran {base_acts} activities, engine {activities}")
    aps = activities / best
    base_aps = base_acts / base_best
    row: dict[str, object] = {
        "workload": w.name,
        "store": "memory",
        "instances": n,
        "activities": activities,
        "seconds": round(best, 6),
        "instances_per_s": round(n / best, 1),
        "activities_per_s": round(aps, 1),
        "plain_python_activities_per_s": round(base_aps, 1),
        "ratio_to_plain_python": round(base_aps / aps, 2),
    }
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    ap.add_argument("--quick", action="store_true", help="a tenth of the instances, one repeat")
    ap.add_argument(
        "--profile",
        metavar="W",
        type=str.upper,
        choices=[f"W{k}" for k in range(1, len(WORKLOADS) + 1)],
        help="profile one workload with cProfile: W1, W2, W3 or W4",
    )
    ap.add_argument("--no-postgres", action="store_true", help="leave PostgreSQL out")
    args = ap.parse_args(argv)
    workloads = [make() for make in WORKLOADS]
    if args.profile:
        w = next(w for w in workloads if w.name == args.profile)
        engine = _engine(w)
        prof = cProfile.Profile()
        prof.runcall(w.run, engine, w.instances)
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
        return 0
    repeats = 1 if args.quick else 5
    for w in workloads:
        n = max(2, w.instances // 10) if args.quick else w.instances
        _show(measure(w, n, repeats), args.json)
    for row in _durable_rows(args.quick, not args.no_postgres, w4=workloads[3].package):
        _show(row, args.json)
    return 0


def _durable_rows(quick: bool, postgres: bool, w4: Package) -> Iterator[dict[str, Any]]:
    """STEPS on every store, then WORKERS on PostgreSQL (when there is one)."""
    scale = 10 if quick else 1
    memory = steps_row("memory", None, w4, 2000 // scale)
    yield memory
    base = float(memory["steps_per_s"])
    with tempfile.TemporaryDirectory(prefix="wfengine-bench-") as tmp:
        row = steps_row("sqlite", sqlite_url(Path(tmp)), w4, 500 // scale)
        yield {**row, "ratio_to_memory": round(base / float(row["steps_per_s"]), 1)}
    if not postgres:
        return
    with postgres_database() as url:
        if url is None:
            return
        row = steps_row("postgresql", url, w4, 500 // scale)
        yield {**row, "ratio_to_memory": round(base / float(row["steps_per_s"]), 1)}
        one, two = scaling_rows(url, 2000 // scale, 1 if quick else 3)
        yield one
        yield two


def _show(row: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(row), flush=True)
        return
    head = f"{row['workload']:<7} {row['store']:>10}:"
    if row["workload"] == "STEPS":
        vs = f" ({row['ratio_to_memory']}x slower than memory)" if "ratio_to_memory" in row else ""
        print(
            f"{head} {row['instances']:>5} instances {row['steps']:>6} steps in "
            f"{row['seconds']:.3f}s = {row['steps_per_s']:>9,.0f} steps/s{vs}",
            flush=True,
        )
        return
    if row["workload"] == "WORKERS":
        vs = ""
        if "speedup_vs_1_worker" in row:
            low, high = row["speedup_range"]
            vs = f" (x{row['speedup_vs_1_worker']} vs 1, rounds {low}-{high})"
        if row["cores_busy"] is not None:
            vs += f", {row['cores_busy']} cores busy"
        print(
            f"{head} {row['workers']} worker(s): {row['instances']:>5} instances "
            f"{row['activities']:>7} activities in {row['seconds']:.3f}s = "
            f"{row['instances_per_s']:>9,.0f} inst/s {row['activities_per_s']:>10,.0f} act/s{vs}",
            flush=True,
        )
        return
    print(
        f"{head} {row['instances']:>5} instances "
        f"{row['activities']:>7} activities in {row['seconds']:.3f}s = "
        f"{row['instances_per_s']:>9,.0f} inst/s {row['activities_per_s']:>10,.0f} act/s "
        f"(plain Python is {row['ratio_to_plain_python']}x faster)",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
