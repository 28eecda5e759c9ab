"""Simulation speed: 10,000 cases of a 10-step process on the real engine's virtual clock.

    python bench/simulate.py [--instances N] [--json]

Each case passes ten manual steps (exponential, mean 5 minutes) done by twelve clerks, cases
arriving at 12 an hour (utilisation about 0.83): every step is a work item offered, claimed,
started and completed through the worklist by a simulated person, with the audit trail kept
and the report (the audit metrics of the trail) built at the end, as ``wfengine simulate``
does. Beside it, in the same run, a plain-Python discrete-event simulation of the same queue
(a heap of events, a FIFO queue, no engine): the ratio says what running the real engine
costs over a hand-written model. The issue's target: 10,000 cases in under a minute here.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import time
from collections import deque

from arguments import at_least

from wfengine import PackageBuilder, Scenario, simulate

STEPS, CLERKS, RATE_PER_HOUR, MEAN_MINUTES = 10, 12, 12.0, 5.0


def _package() -> object:
    pb = PackageBuilder("bench")
    p = pb.process("ten")
    p.participant("clerk")
    ids = [f"s{n}" for n in range(STEPS)]
    for a in ids:
        p.activity(a, performer="clerk")
    p.sequence(*ids)
    return pb.build()


def _scenario() -> Scenario:
    return Scenario.from_data(
        {
            "arrivals": {"poisson": f"{RATE_PER_HOUR}/h"},
            "activities": {
                f"s{n}": {"duration": {"exponential": f"{MEAN_MINUTES}m"}} for n in range(STEPS)
            },
            "resources": {"clerk": CLERKS},
        }
    )


def plain(instances: int, seed: int = 1) -> float:
    """The same queue by hand: returns the mean wait per step in seconds."""
    rng = random.Random(seed)
    events: list[tuple[float, int, str, int, int]] = []
    seq = 0
    t = 0.0
    for case in range(instances):
        t += rng.expovariate(RATE_PER_HOUR / 3600)
        events.append((t, seq, "arrive", case, 0))
        seq += 1
    heapq.heapify(events)
    queue: deque[tuple[float, int, int]] = deque()
    free = CLERKS
    waits: list[float] = []
    while events:
        now, _, kind, case, step = heapq.heappop(events)
        if kind == "done":
            free += 1
            if step + 1 < STEPS:
                queue.append((now, case, step + 1))
        else:
            queue.append((now, case, 0))
        while free and queue:
            since, c, s = queue.popleft()
            waits.append(now - since)
            free -= 1
            seq += 1
            done = now + rng.expovariate(1 / (MEAN_MINUTES * 60))
            heapq.heappush(events, (done, seq, "done", c, s))
    return sum(waits) / len(waits)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=at_least(1), default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    package, scenario = _package(), _scenario()
    started = time.perf_counter()
    report = simulate(package, scenario, instances=args.instances, seed=1)
    engine_seconds = time.perf_counter() - started
    started = time.perf_counter()
    plain_wait = plain(args.instances)
    plain_seconds = time.perf_counter() - started
    steps = args.instances * STEPS
    waits = [s.waiting.mean or 0.0 for s in report.activities.values()]
    row = {
        "instances": args.instances,
        "steps": steps,
        "completed": report.completed.mean,
        "engine_seconds": round(engine_seconds, 2),
        "engine_steps_per_second": round(steps / engine_seconds),
        "plain_seconds": round(plain_seconds, 3),
        "ratio_to_plain": round(engine_seconds / plain_seconds, 1),
        "mean_wait_per_step_engine": round(sum(waits) / len(waits), 1),
        "mean_wait_per_step_plain": round(plain_wait, 1),
    }
    if args.json:
        print(json.dumps(row))
        return
    print(
        f"{args.instances} cases x {STEPS} steps on the engine: {engine_seconds:.1f} s "
        f"({row['engine_steps_per_second']} steps/s, completed {report.completed.mean:.0f}); "
        f"plain Python model: {plain_seconds:.2f} s (engine/plain {row['ratio_to_plain']}x); "
        f"mean wait per step {row['mean_wait_per_step_engine']} s vs "
        f"{row['mean_wait_per_step_plain']} s"
    )


if __name__ == "__main__":
    main()
