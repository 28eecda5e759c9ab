"""Worker throughput on PostgreSQL: one worker process against two, on the same jobs.

M instances of an automatic process (a Parallel split into 4 branches of 5 activities each and
a Parallel join: 22 activities) are started with ``defer=True``, so each leaves one
``continue`` job; then k worker processes (``wfengine.runtime.worker.Worker``, one thread
each, as ``wfengine worker`` runs) drain them until idle. The time runs from the moment all k
processes are ready (engine open, schema checked) to the moment the last one is done, so
interpreter start-up is not counted. Processes, not threads: Python runs one thread at a time,
and the point is to use both cores. The speed-up of 2 workers over 1 is the figure to watch
(at most 2 on two cores; the database shares those cores).

Each row also says how many of the machine's cores were busy while the workers ran
(``cores_busy``, from ``/proc/stat``; None where there is none): one worker and its server
process overlap a little (the server works on a commit while the worker goes on), so one
worker keeps more than one core busy, and two cannot do better than the cores left allow:
with one worker at 1.17 of 2 cores, two can make at most 2 / 1.17 = 1.71x.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import statistics
import time
from typing import Any

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import schema
from wfengine.runtime.sql.connect import create_engine

ACTIVITIES_PER_INSTANCE = 22


def automatic_package() -> Package:
    pb = PackageBuilder("bench")
    p = pb.process("auto")
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    for b in range(4):
        ids = [f"b{b}_{i}" for i in range(5)]
        for a in ids:
            p.activity(a)
        p.sequence(*ids)
        p.transition("split", ids[0]).transition(ids[-1], "join")
    return pb.build()


def _drain(url: str, ready: Any, go: Any) -> None:
    from wfengine.runtime.worker import Worker

    Engine(db_url=url).close()  # schema checked, connections warm, before the clock runs
    ready.release()
    go.wait()
    Worker(lambda: Engine(db_url=url), until_idle=True, batch=20).run()


def _empty(url: str) -> None:
    """The scratch database without the previous run's rows (the schema stays)."""
    Engine(db_url=url).close()  # creates the schema on first use
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            names = ", ".join(t.name for t in schema.TABLES)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        engine.dispose()


def _cpu_ticks() -> tuple[int, int] | None:
    """All CPU time and idle time (iowait included) so far, in ticks, or None."""
    try:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return sum(values), values[3] + values[4]


def _cores_busy(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    if before is None or after is None or after[0] <= before[0]:
        return None
    total, idle = after[0] - before[0], after[1] - before[1]
    return round((os.cpu_count() or 1) * (total - idle) / total, 2)


def workers_row(url: str, workers: int, m: int) -> dict[str, Any]:
    """Start ``m`` deferred instances and time ``workers`` processes draining them."""
    _empty(url)
    with Engine(db_url=url) as engine:
        engine.deploy(automatic_package())
        for _ in range(m):
            engine.start_process("auto", defer=True)
    ctx = mp.get_context("spawn")
    ready = ctx.Semaphore(0)
    go = ctx.Event()
    procs = [ctx.Process(target=_drain, args=(url, ready, go)) for _ in range(workers)]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.acquire()
    ticks = _cpu_ticks()
    t0 = time.perf_counter()
    go.set()
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - t0
    busy = _cores_busy(ticks, _cpu_ticks())
    if any(proc.exitcode != 0 for proc in procs):
        raise SystemExit(f"WORKERS: a worker process failed ({[p.exitcode for p in procs]})")
    with Engine(db_url=url) as engine:
        states = {i.state.value for i in engine.instance_summaries()}
        if states != {"closed.completed"} or engine.jobs():
            raise SystemExit(f"WORKERS x{workers}: instances ended {states}, jobs left")
    return {
        "workload": "WORKERS",
        "store": "postgresql",
        "workers": workers,
        "instances": m,
        "activities": m * ACTIVITIES_PER_INSTANCE,
        "seconds": round(elapsed, 6),
        "instances_per_s": round(m / elapsed, 1),
        "activities_per_s": round(m * ACTIVITIES_PER_INSTANCE / elapsed, 1),
        "cores_busy": busy,
    }


def scaling_rows(url: str, m: int, rounds: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """One worker, then two, ``rounds`` times interleaved: the median round of each, the
    two-worker row with the median of the rounds' speed-ups and their range (one round's
    speed-up moved between 1.46 and 1.80 here)."""
    ones: list[dict[str, Any]] = []
    twos: list[dict[str, Any]] = []
    for _ in range(rounds):
        ones.append(workers_row(url, 1, m))
        twos.append(workers_row(url, 2, m))
    ratios = sorted(
        float(o["seconds"]) / float(t["seconds"]) for o, t in zip(ones, twos, strict=True)
    )
    two = _median_round(twos)
    two["speedup_vs_1_worker"] = round(statistics.median(ratios), 2)
    two["speedup_range"] = [round(ratios[0], 2), round(ratios[-1], 2)]
    return _median_round(ones), two


def _median_round(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(rows, key=lambda r: float(r["seconds"]))
    return {**ordered[len(ordered) // 2], "rounds": len(rows)}
