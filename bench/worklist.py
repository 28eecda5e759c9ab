"""A user's first worklist page with 100,000 open work items and 1,000 users.

    python bench/worklist.py [--json] [--items N] [--users N] [--no-postgres]

The database is filled through the engine as production fills it: 1,000 users in 100 roles
of 10, two processes whose Parallel split offers 50 manual activities each to one role apiece,
started until N items are open (each offered to the 10 members of its role: N x 10 offers),
then one item in twenty claimed by one of its assignees. Then, for 200 users chosen at random
(the same seed every run), ``Engine.work_items_of(user, limit=50)`` (the first page of what is
offered to or held by the user, oldest first) and the page after it are timed; p50 and p95 in
milliseconds are printed per store (SQLite file, and PostgreSQL when a server can be had, see
bench/postgres.py), the next page's over the users whose first page held anything
(next_page_samples of them). Timings are wall clock on this machine, so read them against
each other.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from arguments import at_least
from postgres import postgres_database
from stores import print_row, sqlite_url

from wfengine import Engine, Organisation, PackageBuilder

ROLE_SIZE = 10
PER_START = 50
PAGE = 50
SAMPLES = 200


def _organisation(users: int) -> Organisation:
    return Organisation.from_data(
        {"users": [{"id": f"u{i}", "roles": [f"r{i // ROLE_SIZE}"]} for i in range(users)]}
    )


def _package(roles: int) -> Any:
    pb = PackageBuilder("bench")
    for half in range(2):
        p = pb.process(f"batch{half}")
        p.route("split", gateway="Parallel").route("join", gateway="Parallel")
        for j in range(PER_START):
            role = (half * PER_START + j) % roles
            p.activity(f"a{j}", performer=f"r{role}")
            p.transition("split", f"a{j}").transition(f"a{j}", "join")
    return pb.build()


def _fill(engine: Engine, items: int, roles: int) -> float:
    began = time.perf_counter()
    engine.deploy(_package(roles))
    for n in range(items // PER_START):
        engine.start_process(f"batch{n % 2}")
    rng = random.Random(7)
    for item in engine.work_items():
        if rng.random() < 0.05:
            engine.claim_work_item(item.id, rng.choice(item.assignees))
    return time.perf_counter() - began


def _timed(engine: Engine, users: int) -> dict[str, float | int | None]:
    """p50 and p95 of the first page over SAMPLES users, and of the page after it over those
    whose first page held anything: a user with none asks for no next page, and counting a
    0 ms sample for them pulled the next page's figures down (their count is printed)."""
    rng = random.Random(11)
    first: list[float] = []
    second: list[float] = []
    for _ in range(SAMPLES):
        user = f"u{rng.randrange(users)}"
        t0 = time.perf_counter()
        page = engine.work_items_of(user, limit=PAGE)
        first.append((time.perf_counter() - t0) * 1000)
        if page:
            t1 = time.perf_counter()
            engine.work_items_of(user, after=page[-1], limit=PAGE)
            second.append((time.perf_counter() - t1) * 1000)
    return {
        "first_page_p50_ms": _percentile(first, 50),
        "first_page_p95_ms": _percentile(first, 95),
        "next_page_samples": len(second),
        "next_page_p50_ms": _percentile(second, 50),
        "next_page_p95_ms": _percentile(second, 95),
    }


def _percentile(values: list[float], q: int) -> float | None:
    """The q-th percentile in ms, or None with fewer than two samples (none to spread)."""
    if len(values) < 2:
        return None
    return round(statistics.quantiles(values, n=100)[q - 1], 2)


def _row(store: str, url: str, items: int, users: int) -> dict[str, Any]:
    roles = users // ROLE_SIZE
    with Engine(db_url=url, directory=_organisation(users)) as engine:
        seconds = _fill(engine, items, roles)
        open_items = len(engine.work_items())
        return {
            "workload": "WORKLIST",
            "store": store,
            "open_items": open_items,
            "users": users,
            "fill_seconds": round(seconds, 1),
            **_timed(engine, users),
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    ap.add_argument(
        "--items",
        type=at_least(PER_START),
        default=100_000,
        help=f"open work items (a multiple of {PER_START}: one start opens {PER_START})",
    )
    ap.add_argument(
        "--users",
        type=at_least(ROLE_SIZE),
        default=1_000,
        help=f"users, in roles of {ROLE_SIZE}",
    )
    ap.add_argument("--no-postgres", action="store_true", help="leave PostgreSQL out")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        print_row(_row("sqlite", sqlite_url(Path(tmp)), args.items, args.users), args.json)
    if not args.no_postgres:
        with postgres_database() as url:
            if url is not None:
                print_row(_row("postgresql", url, args.items, args.users), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
