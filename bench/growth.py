"""Growth: does the cost of a step stay the same as processes, loops and databases grow?

    python bench/growth.py [--quick] [--json] [--repeats N] [--series CHAIN,LOOP,...]

The series, each point run in a fresh interpreter so its peak memory is its own (ru_maxrss):

CHAIN   a sequence of N automatic activities, each calling a small application (in memory and
        on SQLite), 10,000 / N instances after a warm-up one: microseconds per activity,
        N = 10 .. 10,000
LOOP    an Exclusive loop of N iterations over a counter application, one instance: microseconds
        per iteration and the peak memory, N = 1,000 .. 1,000,000 in memory (where the peak is
        what the store keeps: the run's audit trail and history, packed as it grows) and on
        SQLite (a long run commits every RuntimeLimits.commit_every steps, so its peak stays)
STORED  on SQLite, starting an instance and completing its work item with S instances already
        stored, S = 100 .. 1,000,000: microseconds per command. Up to 10,000 the stored
        instances are started through the engine (each waits at its work item); beyond, the
        rows of those 10,000 (instance, work item, offers, activity mirror, audit events,
        outbox entries) are copied in SQL under new ids until S are stored, so every table
        and index is as large as S instances make it (a million through the engine would take
        longer than the rest of the benchmark; the copies are never loaded, only passed over)
DEPLOY  deploying (validating and compiling) a chain of N activities in memory, N = 10 .. 10,000:
        microseconds per activity (compiling once scanned every activity once per activity:
        20 seconds for 10,000)
MI      (only with ``--series MI``) completing, one by one, the N work items of one person's
        multi-instance activity in memory, N = 100 .. 10,000: microseconds per completion
        (each commit once looked at every closed instance the open activity keeps, so
        completing them cost N squared: 3 minutes for 10,000, 20 ms a completion where it
        now takes under 0.1 ms)
ORJOIN  deploying N Inclusive diamonds (an OR-split, two ways, an OR-join) in a row closed into
        one loop, 4N activities, N = 10 .. 2,000: microseconds per diamond (what can reach each
        OR-join was once a walk per join: 20 seconds for 1,000, now one pass per graph)

The issue's targets: per activity within 20% from 10 to 10,000 activities and from 1,000 to
1,000,000 iterations with flat memory; start and complete within 20% from 100 to 1,000,000
stored instances. The ratio printed is each point's cost over the smallest point's.

Each point runs ``--repeats`` times (3; once with ``--quick``), the rounds interleaved (every
point once, then every point again), and its figure is the median, its range printed beside
it: a single run of a short point moved by a third from one run to the next on a shared
machine, more than the differences the targets are about. The points of a million (loop
iterations, stored instances) run once: each takes a minute or more, which evens out the
noise by itself.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from arguments import at_least


def _chain(n: int) -> Any:
    from wfengine import PackageBuilder

    pb = PackageBuilder("growth")
    p = pb.process("chain")
    p.data_field("i", "INTEGER", initial="0")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    ids = [f"a{k}" for k in range(n)]
    for a in ids:
        p.activity(a, tool="inc", args=["i"])
    p.sequence(*ids)
    return pb.build()


def _or_ladder(n: int) -> Any:
    """``n`` Inclusive diamonds in a row, closed into one loop."""
    from wfengine import PackageBuilder

    pb = PackageBuilder("growth")
    p = pb.process("ladder")
    p.data_field("i", "INTEGER", initial="0")
    p.activity("begin").route("enter").transition("begin", "enter")
    prev = "enter"
    for k in range(n):
        p.route(f"s{k}", split="Inclusive").activity(f"a{k}").activity(f"b{k}")
        p.route(f"j{k}", join="Inclusive")
        p.transition(prev, f"s{k}")
        p.transition(f"s{k}", f"a{k}", condition="true")
        p.transition(f"s{k}", f"b{k}", condition="i > 0")
        p.transition(f"a{k}", f"j{k}").transition(f"b{k}", f"j{k}")
        prev = f"j{k}"
    p.route("test").activity("end").transition(prev, "test")
    p.transition("test", "enter", condition="i > 5").transition("test", "end", otherwise=True)
    return pb.build()


def _mi(n: int) -> Any:
    """A person's activity of ``n`` instances (in parallel), then an automatic one."""
    from wfengine import PackageBuilder
    from wfengine.definition.builder import multi_instance

    pb = PackageBuilder("growth")
    pb.participant("clerk")
    p = pb.process("mi")
    p.activity("each", performer="clerk", loop=multi_instance(str(n)))
    p.activity("after").transition("each", "after")
    return pb.build()


def _loop() -> Any:
    """The loop goes round ``n`` times, ``n`` given when it starts (the warm-up goes round a
    few times, so what it leaves stored does not weigh on the measured run's peak)."""
    from wfengine import PackageBuilder

    pb = PackageBuilder("growth")
    p = pb.process("loop")
    p.data_field("i", "INTEGER", initial="0")
    p.data_field("n", "INTEGER", initial="0")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    p.activity("begin").activity("body", tool="inc", args=["i"]).activity("end")
    p.transition("begin", "body")
    p.transition("body", "body", condition="i < n").transition("body", "end", otherwise=True)
    return pb.build()


def _engine(store: str, directory: str) -> Any:
    from wfengine import Engine, RuntimeLimits

    url = None if store == "memory" else f"sqlite:///{directory}/g.db"
    # a loop of a million iterations runs more steps than a run may by default
    engine = Engine(db_url=url, limits=RuntimeLimits(max_steps=10_000_000))
    engine.applications.register("inc", lambda n: {"n": n + 1})
    return engine


#: the series run only when ``--series`` names them
ASKED = [("MI", "memory", n) for n in (100, 1000, 10_000)]

#: points this large run once (see the module notes)
ONCE_FROM = 1_000_000

#: STORED: instances started through the engine; more are copies of theirs (see _fill)
FILL_FROM = 10_000

#: per table: the columns that hold ids, made new in each copy ("c<k>-" before the id; the
#: first tells the engine's rows from copies); the outbox's own id is left to the database
_COPIED = {
    "process_instances": ("id",),
    "work_items": ("id", "instance_id", "activity_instance_id"),
    "work_item_offers": ("work_item_id",),
    "activity_instances": ("id", "instance_id", "work_item_id"),
    "audit_events": ("instance_id", "activity_instance_id", "work_item_id"),
    "outbox": ("instance_id", "key"),
}


def _fill(url: str, made: int, n: int) -> None:
    """Copy the rows of the ``made`` stored instances under new ids until ``n`` are stored."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        columns = {t: [c["name"] for c in sa.inspect(engine).get_columns(t)] for t in _COPIED}
        with engine.begin() as conn:
            for k in range(1, n // made):
                for table, ids in _COPIED.items():
                    cols = [c for c in columns[table] if not (table == "outbox" and c == "id")]
                    picked = ", ".join(f"'c{k}-' || {c}" if c in ids else c for c in cols)
                    conn.exec_driver_sql(
                        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {picked} "
                        f"FROM {table} WHERE {ids[0]} NOT LIKE 'c%'"  # the engine's rows
                    )
            stored = conn.exec_driver_sql("SELECT count(*) FROM process_instances").scalar()
        if stored != n:
            raise SystemExit(f"STORED: {stored} instances stored, not {n}")
        with engine.connect() as conn:  # the copies' WAL into the database, as time would
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


def point(kind: str, store: str, n: int) -> dict[str, Any]:
    """One measurement, in this process (the parent runs each in a child)."""
    with tempfile.TemporaryDirectory() as directory:
        engine = _engine(store, directory)
        if kind in ("DEPLOY", "ORJOIN"):
            package = _chain(n) if kind == "DEPLOY" else _or_ladder(n)
            started = time.perf_counter()
            engine.deploy(package)
            seconds = time.perf_counter() - started
            steps = n
        elif kind == "MI":
            engine.deploy(_mi(n))
            iid = engine.start_process("mi")
            items = engine.work_items(iid)
            started = time.perf_counter()
            for item in items:
                engine.complete_work_item(item.id)
            seconds = time.perf_counter() - started
            steps = n
            assert engine.instance(iid).state.value == "closed.completed"
        elif kind == "STORED":
            from wfengine import PackageBuilder

            pb = PackageBuilder("growth")
            pb.process("desk").activity("answer", performer="clerk")
            engine.deploy(pb.build())
            made = min(n, FILL_FROM)
            for _ in range(made):
                engine.start_process("desk")
            if n > made:
                _fill(f"sqlite:///{directory}/g.db", made, n)
            rounds = 200
            for _ in range(10):  # warm: the pages the commands touch read in
                (item,) = engine.work_items(engine.start_process("desk"))
                engine.complete_work_item(item.id)
            started = time.perf_counter()
            for _ in range(rounds):
                iid = engine.start_process("desk")
                (item,) = engine.work_items(iid)
                engine.complete_work_item(item.id)
            seconds = time.perf_counter() - started
            steps = rounds * 2
        else:
            process = "chain" if kind == "CHAIN" else "loop"
            engine.deploy(_chain(n) if kind == "CHAIN" else _loop())
            data = None if kind == "CHAIN" else {"n": n}
            # warm: compiled, caches filled, ids reserved
            engine.start_process(process, None if kind == "CHAIN" else {"n": 10})
            # about as many steps at every size: a few long instances or many short ones
            count = max(1, 10_000 // n) if kind == "CHAIN" else 1
            started = time.perf_counter()
            for _ in range(count):
                iid = engine.start_process(process, data)
            seconds = time.perf_counter() - started
            steps = n * count
            assert engine.instance(iid).state.value == "closed.completed"
        engine.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "series": kind,
        "store": store,
        "n": n,
        "us_per_step": round(seconds / steps * 1e6, 1),
        "peak_mb": round(peak_mb, 1),
    }


#: every series ``--series`` may name
SERIES = ("CHAIN", "LOOP", "STORED", "DEPLOY", "MI", "ORJOIN")


def _series(text: str) -> set[str]:
    """``--series``: names from SERIES, comma-separated (an unknown one once ran nothing)."""
    wanted = {name.strip().upper() for name in text.split(",") if name.strip()}
    unknown = sorted(wanted - set(SERIES))
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(
            f"unknown series {', '.join(unknown) or repr(text)}; choose from {','.join(SERIES)}"
        )
    return wanted


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeats", type=at_least(1), default=3, help="runs per point (default 3)")
    parser.add_argument(
        "--series", type=_series, help="only these series, comma-separated (CHAIN,LOOP,...)"
    )
    parser.add_argument("--point", nargs=3, metavar=("KIND", "STORE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.point:
        kind, store, n = args.point
        print(json.dumps(point(kind, store, int(n))))
        return
    quick = args.quick
    plan = [
        *(("CHAIN", s, n) for s in ("memory", "sqlite") for n in (10, 100, 1000, 10_000)),
        *(("LOOP", s, n) for s in ("memory", "sqlite") for n in (1000, 10_000, 100_000)),
        *(("LOOP", s, 1_000_000) for s in ("memory", "sqlite")),
        *(("STORED", "sqlite", n) for n in (100, 2000, 20_000, 100_000, 1_000_000)),
        *(("DEPLOY", "memory", n) for n in (10, 100, 1000, 10_000)),
        *(("ORJOIN", "memory", n) for n in (10, 100, 1000, 2000)),
    ]
    if args.series:
        plan = [(k, s, n) for k, s, n in (*plan, *ASKED) if k in args.series]
    if quick:
        plan = [(k, s, n) for k, s, n in plan if n <= 2000]
    repeats = 1 if quick else args.repeats
    runs: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for round_ in range(repeats):
        for kind, store, n in plan:
            if round_ and n >= ONCE_FROM:
                continue
            if repeats > 1:
                print(f"round {round_ + 1}/{repeats}: {kind} {store} n={n}", file=sys.stderr)
            out = subprocess.run(
                [sys.executable, str(Path(__file__)), "--point", kind, store, str(n)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.setdefault((kind, store, n), []).append(json.loads(out.stdout))
    base: dict[tuple[str, str], float] = {}
    for (kind, store, n), rows in runs.items():
        costs = sorted(r["us_per_step"] for r in rows)
        row = {
            **rows[0],
            "us_per_step": round(statistics.median(costs), 1),
            "us_per_step_range": [costs[0], costs[-1]],
            "peak_mb": max(r["peak_mb"] for r in rows),
            "rounds": len(rows),
        }
        first = base.setdefault((kind, store), row["us_per_step"])
        row["ratio_to_smallest"] = round(row["us_per_step"] / first, 2)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            spread = f" ({costs[0]:.1f}-{costs[-1]:.1f})" if len(rows) > 1 else ""
            print(
                f"{kind:<7} {store:<7} n={n:>7}: {row['us_per_step']:>8.1f} us/step{spread} "
                f"(x{row['ratio_to_smallest']:.2f} of the smallest), peak {row['peak_mb']} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
