"""SpiffWorkflow's driver: runs in the peers' virtual environment (``.venv-peers``).

Jobs: ``{"workload": "W1".."W5", "instances": N, "real_work": bool}`` (see
``peerwork.serve``). The spec is parsed from ``definitions/wN.bpmn`` with ``BpmnParser``
before the clock starts; each instance is a ``BpmnWorkflow(spec)`` run with
``do_engine_steps()``, all in memory. Automatic activities are script tasks calling ``work()``
(W3: ``i = inc(i)``), functions given to the ``PythonScriptEngine`` through its
``TaskDataEnvironment`` globals, as SpiffWorkflow documents. Manual activities are
``manualTask``s: the driver takes the READY manual task, runs it and lets the engine go on
(``task.run()``, ``do_engine_steps()``). Start data (W3's ``i``, W4/W5's switch) is set on the
workflow's start task before the first engine step.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from peerwork import DEFINITIONS, SHAPES, Job, Result, WorkCounter, check, satisfied, serve, timed
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.util.task import TaskState

TASKS = {
    "W1": {f"a{i}" for i in range(100)},
    "W2": {f"b{i}" for i in range(50)},
    "W3": {"body"},
    "W4": {"intake", "department", "review"},
    "W5": {"intake", "answer", "coordinate", "dept_a", "dept_b", "reply"},
}
SWITCH = {"W4": "satisfied", "W5": "instant"}


def _specs() -> dict[str, Any]:
    specs = {}
    for shape in SHAPES.values():
        parser = BpmnParser()
        parser.add_bpmn_file(str(DEFINITIONS / f"{shape.process}.bpmn"))
        specs[shape.name] = parser.get_spec(shape.process)
    return specs


SPECS = _specs()


def _start_data(workload: str, k: int) -> dict[str, Any]:
    if workload == "W3":
        return {"i": 0}
    if workload in SWITCH:
        return {SWITCH[workload]: satisfied(k)}
    return {}


def handle(job: Job) -> Result:
    workload: str = job["workload"]
    n: int = job["instances"]
    work = WorkCounter(job.get("real_work", False))
    engine = PythonScriptEngine(environment=TaskDataEnvironment({"work": work, "inc": work.inc}))
    spec = SPECS[workload]
    flows: list[BpmnWorkflow] = []
    manual = 0

    def run() -> None:
        nonlocal manual
        for k in range(n):
            wf = BpmnWorkflow(spec, script_engine=engine)
            flows.append(wf)
            data = _start_data(workload, k)
            if data:
                wf.get_next_task(state=TaskState.READY).data.update(data)
            wf.do_engine_steps()
            while ready := wf.get_tasks(state=TaskState.READY, manual=True):
                ready[0].run()  # the manual steps, one after the other
                manual += 1
                wf.do_engine_steps()

    seconds = timed(run)
    tasks = TASKS[workload]
    done = sum(
        1
        for wf in flows
        for t in wf.get_tasks(state=TaskState.COMPLETED)
        if t.task_spec.bpmn_id in tasks
    )
    finished = sum(1 for wf in flows if wf.is_completed())
    if finished != n:
        raise AssertionError(f"{workload}: {finished} of {n} instances finished")
    got = {"activities": done, "app_calls": work.calls, "manual": manual, "finished": n}
    check(workload, n, got)
    return {**got, "seconds": seconds}


if __name__ == "__main__":
    serve("spiff", version("SpiffWorkflow"), handle)
