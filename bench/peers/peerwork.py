"""What every driver shares: the workloads' shape, the application's work, the job protocol.

Standard library only: this module is imported by the harness (any Python 3.11) and by each
driver, which runs in its own virtual environment (wfengine's, or the peers' one).
"""

from __future__ import annotations

import gc
import hashlib
import json
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFINITIONS = HERE / "definitions"

#: the input of the real work: 64 bytes
_PAYLOAD = bytes(range(64))
#: how many SHA-256 rounds one call of the application does in --real-work mode
HASH_ROUNDS = 8


class WorkCounter:
    """The application every automatic activity calls, counting its calls.

    ``real`` does a small fixed piece of work per call (``HASH_ROUNDS`` chained SHA-256 digests
    of 64 bytes, a few microseconds); otherwise a call does nothing but count.
    """

    def __init__(self, real: bool) -> None:
        self.real = real
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1
        if self.real:
            digest = _PAYLOAD
            for _ in range(HASH_ROUNDS):
                digest = hashlib.sha256(digest).digest() + digest[:32]

    def inc(self, n: int) -> int:
        """W3's application: the same work, and the loop counter incremented."""
        self()
        return n + 1


@dataclass(frozen=True)
class Shape:
    """What one workload does per instance, the same for every engine.

    ``tasks(k)`` is the number of task activities instance ``k`` (0-based) completes: the
    activities that call the application or are done by a person. ``calls(k)`` is how many of
    those call the application; ``manual(k)`` how many are a person's work items.
    """

    name: str
    process: str
    title: str
    tasks: Callable[[int], int]
    calls: Callable[[int], int]
    manual: Callable[[int], int]


def satisfied(k: int) -> bool:
    """W4 and W5: the even instances take the short way (end at once, an instant answer)."""
    return k % 2 == 0


SHAPES: dict[str, Shape] = {
    s.name: s
    for s in (
        Shape("W1", "w1", "sequence of 100 activities", lambda k: 100, lambda k: 100, lambda k: 0),
        Shape("W2", "w2", "AND split into 50, AND join", lambda k: 50, lambda k: 50, lambda k: 0),
        Shape("W3", "w3", "XOR loop, 100 iterations", lambda k: 100, lambda k: 100, lambda k: 0),
        Shape(
            "W4",
            "w4",
            "intake, XOR, 2 manual steps for half",
            lambda k: 1 if satisfied(k) else 3,
            lambda k: 1,
            lambda k: 0 if satisfied(k) else 2,
        ),
        Shape(
            "W5",
            "w5",
            "CRM-like: XOR, manual, AND split/join",
            lambda k: 2 if satisfied(k) else 5,
            lambda k: 2 if satisfied(k) else 3,
            lambda k: 0 if satisfied(k) else 2,
        ),
    )
}


def expected(workload: str, instances: int) -> dict[str, int]:
    shape = SHAPES[workload]
    ks = range(instances)
    return {
        "activities": sum(shape.tasks(k) for k in ks),
        "app_calls": sum(shape.calls(k) for k in ks),
        "manual": sum(shape.manual(k) for k in ks),
    }


def timed(run: Callable[[], None]) -> float:
    """Seconds ``run`` takes, after a full collection (the collector stays on while timing)."""
    gc.collect()
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0


Job = dict[str, Any]
Result = dict[str, Any]


def serve(engine: str, version: str, handle: Callable[[Job], Result]) -> None:
    """The driver loop: one JSON job per line on stdin, one JSON result per line on stdout.

    With a JSON job as the only argument, runs that job alone and prints its result. The
    first line printed in loop mode says the driver is ready (its imports done).
    """
    if len(sys.argv) > 1:
        print(json.dumps(_answer(engine, handle, json.loads(sys.argv[1]))), flush=True)
        return
    print(json.dumps({"ready": engine, "version": version}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        print(json.dumps(_answer(engine, handle, json.loads(line))), flush=True)


def _answer(engine: str, handle: Callable[[Job], Result], job: Job) -> Result:
    try:
        result = handle(job)
    except Exception:  # reported to the harness, which stops the run
        return {"engine": engine, "job": job, "error": traceback.format_exc()}
    return {"engine": engine, **job, **result}


def check(workload: str, instances: int, got: dict[str, int]) -> None:
    """Raise unless the engine did exactly the work the workload asks for."""
    want = expected(workload, instances)
    for key, value in want.items():
        if key in got and got[key] != value:
            raise AssertionError(f"{workload}: {key} = {got[key]}, expected {value}")
