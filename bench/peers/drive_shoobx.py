"""shoobx.wfmc's driver: runs in the peers' virtual environment (``.venv-peers``).

Jobs: ``{"workload": "W1".."W5", "instances": N, "real_work": bool}`` (see
``peerwork.serve``). The definition is read from ``definitions/wN.xpdl10.xpdl`` with
``shoobx.wfmc.xpdl.read`` and registered (a ``StaticProcessDefinitionFactory`` utility) before
the clock starts; each instance is ``definition(context)`` then ``process.start(...)``, all in
memory (shoobx.wfmc has no store of its own: its objects are ``persistent`` ones a host would
keep in a ZODB, which is not used here).

Integration is the one of ``shoobx.wfmc.adapter.integration`` (its ``integration.txt``): a
participant is a named ``zope.component`` adapter from the activity to ``IParticipant``
(``.`` for activities without a performer, ``.dept`` ...), an application a named adapter
from the participant to ``IWorkItem``. The ``work`` and ``inc`` work items do their work in
``start`` and finish at once; the ``manual`` one puts itself on the worklist and waits until
the driver finishes it, as a person's would. Conditions and the ``i`` counter go through
``PythonExpressionEvaluator``, registered as the package's own tests do.
"""

from __future__ import annotations

import sys
from importlib.metadata import version
from typing import Any

import zope.component
import zope.interface
from peerwork import DEFINITIONS, SHAPES, Job, Result, WorkCounter, check, satisfied, serve, timed
from shoobx.wfmc import adapter, interfaces, process, xpdl

#: shoobx.wfmc runs a sequence by recursion (an activity's finish starts the next one), about
#: ten frames per activity: W1's 100 activities and W3's 100 iterations need more than the
#: default 1000 frames
sys.setrecursionlimit(20_000)

TASKS = {
    "W1": {f"a{i}" for i in range(100)},
    "W2": {f"b{i}" for i in range(50)},
    "W3": {"body"},
    "W4": {"intake", "department", "review"},
    "W5": {"intake", "answer", "coordinate", "dept_a", "dept_b", "reply"},
}
SWITCHED = {"W4", "W5"}

#: the application of the running job (swapped per job)
WORK = WorkCounter(False)
#: the manual work items waiting for the driver, oldest first
WORKLIST: list[Manual] = []


@zope.interface.implementer(interfaces.IParticipant)
class Participant:
    def __init__(self, activity: Any) -> None:
        self.activity = activity


@zope.interface.implementer(interfaces.IWorkItem)
class Work:
    def __init__(self, participant: Any) -> None:
        self.participant = participant

    def start(self, args: dict[str, Any]) -> None:
        WORK()
        self.participant.activity.workItemFinished(self)


@zope.interface.implementer(interfaces.IWorkItem)
class Inc(Work):
    def start(self, args: dict[str, Any]) -> None:
        self.participant.activity.workItemFinished(self, {"n": WORK.inc(args["n"])})


@zope.interface.implementer(interfaces.IWorkItem)
class Manual(Work):
    def start(self, args: dict[str, Any]) -> None:
        WORKLIST.append(self)

    def finish(self) -> None:
        self.participant.activity.workItemFinished(self)


@zope.interface.implementer(interfaces.IProcessContext)
class Context:
    """The process context (a host's object the process works for); unused here."""


def _setup() -> process.StaticProcessDefinitionFactory:
    zope.component.provideAdapter(process.PythonExpressionEvaluator)
    for name in ("", "dept", "reviewer", "coordinator", "agent"):
        zope.component.provideAdapter(
            Participant, (interfaces.IActivity,), interfaces.IParticipant, name="." + name
        )
    for name, factory in (("work", Work), ("inc", Inc), ("manual", Manual)):
        zope.component.provideAdapter(
            factory, (interfaces.IParticipant,), interfaces.IWorkItem, name="." + name
        )
    factory = process.StaticProcessDefinitionFactory()
    zope.component.provideUtility(factory)
    for shape in SHAPES.values():
        with open(DEFINITIONS / f"{shape.process}.xpdl10.xpdl", "rb") as f:
            package = xpdl.read(f)
        pd = package[shape.process]
        pd.integration = adapter.integration
        factory.register(pd)
    return factory


FACTORY = _setup()


def handle(job: Job) -> Result:
    global WORK
    workload: str = job["workload"]
    n: int = job["instances"]
    WORK = WorkCounter(job.get("real_work", False))
    WORKLIST.clear()
    pd = FACTORY.get(SHAPES[workload].process)
    procs: list[Any] = []
    manual = 0

    def run() -> None:
        nonlocal manual
        context = Context()
        for k in range(n):
            proc = pd(context)
            procs.append(proc)
            if workload in SWITCHED:
                proc.start(satisfied(k))
            else:
                proc.start()
            while WORKLIST:  # the manual steps, one after the other
                WORKLIST.pop(0).finish()
                manual += 1

    seconds = timed(run)
    tasks = TASKS[workload]
    done = sum(
        1
        for proc in procs
        for a in proc.activities.values()
        if not a.active and a.activity_definition_identifier in tasks
    )
    finished = sum(1 for p in procs if p.isFinished)
    if finished != n:
        raise AssertionError(f"{workload}: {finished} of {n} instances finished")
    got = {"activities": done, "app_calls": WORK.calls, "manual": manual, "finished": n}
    check(workload, n, got)
    return {**got, "seconds": seconds}


if __name__ == "__main__":
    serve("shoobx", version("shoobx.wfmc"), handle)
