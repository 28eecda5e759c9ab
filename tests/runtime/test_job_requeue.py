"""A job queued again at the instant it was first due (an operator retrying a parked call at
once) runs once: the memory store's heap of due times kept the job's first entry beside the
new one, and the job was claimed and run twice."""

from __future__ import annotations

from tests.runtime.test_abandoned_jobs import REASON, _called
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def test_a_call_retried_at_the_instant_it_was_first_due_runs_once() -> None:
    calls: list[int] = []
    with Engine(clock=VirtualClock()) as engine:
        iid = _called(engine)
        engine.applications.register("lookup", lambda x, pin: calls.append(x), asynchronous=True)
        now = engine.clock.now()
        [job] = engine.store.claim_jobs("host:1:child", now, now, 1)
        engine.abandon_job(job.id, REASON)  # parked, with an incident
        [incident] = engine.incidents(iid)
        engine.retry_incident(incident.id)  # due again now, as it first was
        assert engine.run_due_jobs() == 1
        assert calls == [5]
        assert engine.instance(iid).state is ProcessState.COMPLETED
