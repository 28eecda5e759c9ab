"""Process metrics over a large audit trail: ``process_metrics`` of one process with
1,000,000 audit events in the database.

    python bench/audit_metrics.py [--json] [--events N] [--no-postgres]

The trail is made by the engine as production makes it: 500 instances of a claim process
(a clerk's work item, started or not, then an accountant's; a deadline that fires on the slow
ones) on a virtual clock with random waits, so the events carry real shapes and times; their
rows (instances, events, activity instances, work items) are then copied under new ids until
the trail holds N events. Timed, each the median of three runs: ``process_metrics``
(computed in the database: windowed queries over the activity-instance mirror and the
instance rows), and, as the baseline in the same run on the same trail, the same figures
computed in Python from every event read through ``Engine.audit_events``
(``activity_metrics_of``). Wall clock on this machine: read the two against each other.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from arguments import at_least
from postgres import postgres_database
from stores import print_row, sqlite_url

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.audit import iter_events
from wfengine.audit.metrics import activity_metrics_of, process_metrics
from wfengine.runtime.sql import schema as t

SEED_INSTANCES = 500
ORG = {"users": [{"id": "alice", "roles": ["clerk"]}, {"id": "dan", "roles": ["accountant"]}]}


def _seed(engine: Engine) -> None:
    pb = PackageBuilder("bench")
    p = pb.process("claim")
    p.activity("enter", performer="clerk", deadlines=[("PT4H", "Late", "ASYNCHR")])
    p.activity("book", performer="accountant")
    p.transition("enter", "book")
    engine.deploy(pb.build())
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    rng = random.Random(5)
    for _ in range(SEED_INSTANCES):
        iid = engine.start_process("claim")
        clock.advance(timedelta(seconds=rng.randint(0, 3600)))
        (enter,) = engine.work_items(iid)
        if rng.random() < 0.7:
            engine.claim_work_item(enter.id, "alice")
            engine.start_work_item(enter.id, "alice")
            clock.advance(timedelta(seconds=rng.randint(60, 20000)))
        engine.complete_work_item(enter.id, user="alice")
        clock.advance(timedelta(seconds=rng.randint(0, 7200)))
        (book,) = engine.work_items(iid)
        engine.complete_work_item(book.id, user="dan")


def _copy(url: str, events: int) -> int:
    """Copy the seed's instances and events under new ids until the trail holds ``events``."""
    db = sa.create_engine(url)
    try:
        with db.begin() as conn:
            instances = [dict(r) for r in conn.execute(sa.select(t.process_instances)).mappings()]
            trail = [dict(r) for r in conn.execute(sa.select(t.audit_events)).mappings()]
            activities = [dict(r) for r in conn.execute(sa.select(t.activity_instances)).mappings()]
            items = [dict(r) for r in conn.execute(sa.select(t.work_items)).mappings()]
        total, copy = len(trail), 0
        while total < events:
            copy += 1
            suffix = f"-c{copy}"
            with db.begin() as conn:
                conn.execute(
                    t.process_instances.insert(),
                    [{**r, "id": r["id"] + suffix, "parent_instance_id": None} for r in instances],
                )
                conn.execute(
                    t.audit_events.insert(),
                    [{**r, "instance_id": r["instance_id"] + suffix} for r in trail],
                )
                conn.execute(
                    t.activity_instances.insert(),
                    [
                        {**r, "id": r["id"] + suffix, "instance_id": r["instance_id"] + suffix}
                        for r in activities
                    ],
                )
                conn.execute(
                    t.work_items.insert(),
                    [
                        {
                            **r,
                            "id": r["id"] + suffix,
                            "instance_id": r["instance_id"] + suffix,
                            "activity_instance_id": r["activity_instance_id"] + suffix,
                        }
                        for r in items
                    ],
                )
            total += len(trail)
        return total
    finally:
        db.dispose()


#: each figure is the median of this many runs, the database's and Python's alike, so the
#: speedup compares like with like (the Python baseline was once timed a single time)
RUNS = 3


def _median_seconds(fn: Any) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times), 3)


def _row(store: str, url: str, events: int) -> dict[str, Any]:
    with Engine(db_url=url, clock=VirtualClock(), directory=Organisation.from_data(ORG)) as e:
        _seed(e)
    total = _copy(url, events)
    with Engine(db_url=url) as e:
        in_db = _median_seconds(lambda: process_metrics(e, "claim"))
        in_python = _median_seconds(
            lambda: activity_metrics_of(iter_events(e, page=10_000, process_id="claim"))
        )
    return {
        "workload": "METRICS",
        "store": store,
        "events": total,
        "process_metrics_s": in_db,
        "python_reference_s": in_python,
        "speedup": round(in_python / in_db, 1) if in_db else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    ap.add_argument("--events", type=at_least(1), default=1_000_000)
    ap.add_argument("--no-postgres", action="store_true", help="leave PostgreSQL out")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        print_row(_row("sqlite", sqlite_url(Path(tmp)), args.events), args.json)
    if not args.no_postgres:
        with postgres_database() as url:
            if url is not None:
                print_row(_row("postgresql", url, args.events), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
