"""wfengine's driver: runs with wfengine's own virtual environment (the project's .venv).

Jobs (see ``peerwork.serve``):

* ``{"workload": "W1".."W5", "instances": N, "real_work": bool}``: in memory (``Engine()``),
  the definition read from ``definitions/wN.xpdl`` and deployed before the clock starts;
* ``{"workload": "SQLITE-W4", ...}``: W4 on a fresh SQLite file (``Engine.from_url``), each
  start and each work-item completion one engine command, i.e. one committed transaction;
* ``{"workload": "SQLITE-W1", ...}``: W1 on a fresh SQLite file: 100 activities per start
  command, so one commit per instance.
"""

from __future__ import annotations

import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

from peerwork import DEFINITIONS, SHAPES, Job, Result, WorkCounter, check, satisfied, serve, timed

from wfengine import Engine, load_xpdl

TASKS = {
    "W1": {f"a{i}" for i in range(100)},
    "W2": {f"b{i}" for i in range(50)},
    "W3": {"body"},
    "W4": {"intake", "department", "review"},
    "W5": {"intake", "answer", "coordinate", "dept_a", "dept_b", "reply"},
}
SWITCH = {"W4": "satisfied", "W5": "instant"}


def _engine(workload: str, work: WorkCounter, url: str | None) -> Engine:
    engine = Engine() if url is None else Engine.from_url(url)
    engine.applications.register("work", work)
    engine.applications.register("inc", lambda n: {"n": work.inc(n)})
    engine.deploy(load_xpdl(DEFINITIONS / f"{SHAPES[workload].process}.xpdl"))
    return engine


def _run(engine: Engine, workload: str, n: int) -> int:
    """Run ``n`` instances; returns the engine commands issued (starts and completions)."""
    process = SHAPES[workload].process
    switch = SWITCH.get(workload)
    start = engine.start_process
    work_items = engine.work_items
    complete = engine.complete_work_item
    commands = 0
    for k in range(n):
        iid = start(process, {switch: satisfied(k)} if switch else None)
        commands += 1
        if switch is None:
            continue
        while items := work_items(iid):  # the manual steps, one after the other
            complete(items[0].id)
            commands += 1
    return commands


def _count(engine: Engine, workload: str) -> dict[str, int]:
    tasks = TASKS[workload]
    states = {s.state.value for s in engine.instance_summaries()}
    if states != {"closed.completed"}:
        raise AssertionError(f"{workload}: instances ended {states}")
    done = 0
    for inst in engine.instances():
        done += sum(
            1
            for a in engine.activity_instances(inst.id)
            if a.activity_id in tasks and a.state.value == "closed.completed"
        )
    return {"activities": done, "finished": len(engine.instance_summaries())}


def handle(job: Job) -> Result:
    workload: str = job["workload"]
    n: int = job["instances"]
    work = WorkCounter(job.get("real_work", False))
    durable = workload.startswith("SQLITE-")
    base = workload.removeprefix("SQLITE-")
    with tempfile.TemporaryDirectory(prefix="wfengine-peers-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}" if durable else None
        engine = _engine(base, work, url)
        with engine:
            commands = 0

            def run() -> None:
                nonlocal commands
                commands = _run(engine, base, n)

            seconds = timed(run)
            counts = _count(engine, base)
    got: dict[str, Any] = {**counts, "app_calls": work.calls, "commands": commands}
    check(base, n, got)
    if got["finished"] != n:
        raise AssertionError(f"{workload}: {got['finished']} instances finished, not {n}")
    return {**got, "seconds": seconds}


if __name__ == "__main__":
    serve("wfengine", version("wfengine"), handle)
