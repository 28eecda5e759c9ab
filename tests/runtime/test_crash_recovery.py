"""Crash recovery with real processes: workers SIGKILLed at random moments lose and repeat
nothing (issue 4's crash check).

N instances of a process with parallel branches, an application call and a short real timer
are started with ``wfengine instance start --count N``; a ``wfengine worker`` subprocess
(leases of 2 s, so a dead worker's jobs are taken over quickly) is SIGKILLed at random moments
and restarted several times, with one and two threads; then ``worker --until-idle`` finishes.
Every instance must end ``closed.completed``, every activity instance must have started and
closed exactly once according to the audit trail, and no token, job or open activity may be
left. The random seed is printed, so a failing run can be repeated with ``WFENGINE_CRASH_SEED``.

Sizes: N=1000 with 8 kills runs in about 30 s on two cores with SQLite, long enough for the
kills to land both while instances start and while their timers fire and they complete; under
``CI=true`` there are 12 kills. ``WFENGINE_CRASH_N`` overrides N.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from tests.runtime.crash_harness import (
    check_everything_ran_once,
    finish,
    kill,
    progress,
    start_instances,
    worker,
    write_definition,
)

CI = os.environ.get("CI") == "true"
N = int(os.environ.get("WFENGINE_CRASH_N", "1000"))
KILLS = 12 if CI else 8


def test_workers_killed_at_random_moments_lose_and_repeat_nothing(tmp_path: Path) -> None:
    seed = int(os.environ.get("WFENGINE_CRASH_SEED", str(random.randrange(2**32))))
    print(f"crash test: N={N}, kills={KILLS}, seed={seed}")
    rng = random.Random(seed)
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    xpdl, apps = write_definition(tmp_path)
    log = tmp_path / "workers.log"
    ids = start_instances(xpdl, url, N, delay=1.0)
    after_kills: list[tuple[int, int]] = []
    for n in range(KILLS):
        proc = worker(url, apps, "--concurrency", str(1 + n % 2), log=log)
        time.sleep(rng.uniform(1.0, 3.0))  # the interpreter needs ~0.5 s before any job runs
        assert proc.poll() is None, log.read_text()[-2000:]
        kill(proc)
        after_kills.append(progress(url))
    print(f"after each kill (completed, jobs left leased): {after_kills}")
    # the kills hit running workers (leases left behind) while instances were finishing
    assert any(leased for _, leased in after_kills)
    assert any(0 < done < N for done, _ in after_kills)
    finish(url, apps, log)
    check_everything_ran_once(url, ids)
