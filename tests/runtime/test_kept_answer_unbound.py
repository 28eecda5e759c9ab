"""An answer kept while its instance was suspended is applied after resume without calling the
application again, even when the engine that resumes it has no binding for the application
(an operator's engine, a worker started without ``--apps``): the job is parked with a ``job``
incident that keeps the answer, and retrying the incident once the application is bound
applies it. Before, applying it opened a ``run`` incident ("not bound") and the job, with the
answer, was deleted: the retry called the application a second time (a payment taken twice).
docs/semantics.md: "the application is not called again"."""

from __future__ import annotations

from typing import Any

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.invoke_jobs import ANSWER
from wfengine.runtime.jobs import JOB_INVOKE
from wfengine.runtime.states import ProcessState


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "INTEGER", initial="7").data_field("receipt", "STRING")
    p.application("charge", params=[("a", "IN", "INTEGER"), ("r", "OUT", "STRING")])
    p.activity("call", tool="charge", args=["amount", "receipt"])
    p.activity("after").transition("call", "after")
    return pb


def test_a_kept_answer_waits_for_the_binding_and_is_applied_without_a_second_call(
    engine: Engine,
) -> None:
    calls: list[int] = []
    iid: list[str] = []

    def charge(a: int) -> Any:
        calls.append(a)
        engine.suspend(iid[0])  # an operator, while the call runs
        return {"r": "charged"}

    engine.applications.register("charge", charge, asynchronous=True)
    iid.append(run(engine, _package()))
    engine.run_due_jobs()
    [job] = [j for j in engine.store.jobs(iid[0]) if j.kind == JOB_INVOKE]
    assert job.payload[ANSWER] == {"result": {"r": "charged"}}  # kept with the job

    engine.applications.unregister("charge")  # the engine that resumes has no binding
    engine.resume(iid[0])
    engine.run_due_jobs()
    [incident] = engine.incidents(iid[0])
    assert incident.operation == "job"
    assert incident.attempts == 0  # no attempt made by this job: the call was made once
    assert "application 'charge' is not bound" in incident.message
    assert "without calling it again" in incident.message
    [parked] = [j for j in engine.store.jobs(iid[0]) if j.kind == JOB_INVOKE]
    assert parked.payload[ANSWER] == {"result": {"r": "charged"}}  # the answer is kept

    engine.applications.register("charge", charge, asynchronous=True)
    engine.retry_incident(incident.id)
    engine.run_due_jobs()
    snap = engine.instance(iid[0])
    assert calls == [7]  # called once
    assert snap.state is ProcessState.COMPLETED and snap.data["receipt"] == "charged"
    kinds = [e.kind for e in engine.audit(iid[0]) if e.kind.startswith("application.")]
    # the one call, audited once: no attempt made up for the parked job
    assert kinds == ["application.queued", "application.invoked", "application.returned"]
