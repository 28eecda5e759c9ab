"""A call lost with a host killed mid-call (``SIGKILL`` of the worker and its supervisor: its
command never committed) is audited by the engine that takes the job over, as invoked and
failed "interrupted", dated when that engine learns of it, with the call's key and inputs:
the trail's attempts are 1..n, none missing. Before, it read attempt 2 with no attempt 1,
against "every invocation is audited". For an ``invoke`` job's own call
(:mod:`wfengine.runtime.lost_attempts`).

A job whose command makes synchronous calls is another matter: nobody knows how far its lost
run got. Its first call was made if the run got that far, so that attempt is recorded, invoked
and discarded "lost", whose reason says the calls after it may have been made too (numbered as
if they were not). Before, it was failed "interrupted", wrongly when the run had gone on past
it (a1 returned, the host killed in a3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.runtime import three_calls
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="7").data_field("y", "STRING")
    p.application("app", params=[("a", "IN", "INTEGER"), ("b", "OUT", "STRING")])
    p.activity("A", tool="app", args=["x", "y"])
    return pb


def _calls(engine: Engine, iid: str) -> list[tuple[str, int | None, Any]]:
    kinds = ("invoked", "failed", "returned", "discarded")
    return [
        (
            e.kind,
            e.detail.get("attempt"),
            e.detail.get("error", e.detail.get("inputs", e.detail.get("reason"))),
        )
        for e in engine.audit(iid)
        if e.kind.removeprefix("application.") in kinds
    ]


def _killed_host(engine: Engine, clock: VirtualClock) -> None:
    """A host claims the due job, begins it and dies: nothing it did is committed."""
    now = clock.now()
    engine.store.claim_jobs("dead", now, now + timedelta(seconds=1), 10)
    clock.advance(timedelta(seconds=5))


def _check(engine: Engine, iid: str, clock: VirtualClock, *, synchronous: bool = False) -> None:
    calls = _calls(engine, iid)
    # an invoke job's own call was in progress: failed; a job's first synchronous call was
    # made if the lost run got that far, how it ended is not known: discarded
    closed = ("application.discarded", None) if synchronous else ("application.failed", 1)
    assert [(kind, attempt) for kind, attempt, _ in calls] == [
        ("application.invoked", 1),
        closed,
        ("application.invoked", 2),
        ("application.returned", 2),
    ]
    assert calls[0][2] == {"a": 7}  # the inputs, as the call that took over had them
    assert str(calls[1][2]).startswith("lost: " if synchronous else "interrupted: ")
    lost = [e for e in engine.audit(iid) if e.kind.startswith("application.")][:3]
    keys = {e.detail.get("key") for e in lost if "key" in e.detail}
    assert len(keys) == 1  # the same call
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_synchronous_call_of_a_killed_job_is_audited_by_the_takeover(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.applications.register("app", lambda a: {"b": "ok"}, retries=2)
    engine.deploy(_package().build())
    iid = engine.create_instance("main")
    engine.start(iid, defer=True)
    _killed_host(engine, clock)
    assert engine.run_due_jobs() == 1
    _check(engine, iid, clock, synchronous=True)


def test_an_invoke_jobs_call_of_a_killed_host_is_audited_by_the_takeover(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.applications.register("app", lambda a: {"b": "ok"}, retries=2, asynchronous=True)
    engine.deploy(_package().build())
    iid = engine.start_process("main")
    _killed_host(engine, clock)
    assert engine.run_due_jobs() == 1
    _check(engine, iid, clock)


def test_a_retried_invoke_call_records_no_lost_attempt(engine: Engine, clock: VirtualClock) -> None:
    answers: list[Any] = [ConnectionError("down"), {"b": "ok"}]

    def app(a: int) -> Any:
        answer = answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    engine.applications.register("app", app, retries=2, backoff=1, asynchronous=True)
    engine.deploy(_package().build())
    iid = engine.start_process("main")
    engine.run_due_jobs()
    clock.advance(timedelta(seconds=2))
    engine.run_due_jobs()
    assert [(k, n) for k, n, _ in _calls(engine, iid)] == [
        ("application.invoked", 1),
        ("application.failed", 1),
        ("application.invoked", 2),
        ("application.returned", 2),
    ]


def test_a_host_killed_whole_is_not_blamed_on_a_call_that_may_not_be_the_one(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.applications.register("app", lambda a: None, retries=2)
    engine.deploy(three_calls.package().build())
    iid = engine.create_instance("main")
    engine.start(iid, defer=True)
    now = clock.now()
    engine.store.claim_jobs("dead", now, now + timedelta(seconds=1), 10)  # began, then died
    clock.advance(timedelta(seconds=5))
    assert engine.run_due_jobs() == 1
    trail = three_calls.trail(engine, iid)
    assert trail == [
        ("invoked", "a1", 1),  # the lost run's first call: made, if it got that far
        ("discarded", "a1", "lost: job"),
        ("invoked", "a1", 2),
        ("returned", "a1", None),
        ("invoked", "a2", 1),
        ("returned", "a2", None),
        ("invoked", "a3", 1),
        ("returned", "a3", None),
    ], trail
    assert not [e for e in engine.audit(iid) if e.kind == "application.failed"]
    [lost] = [e for e in engine.audit(iid) if e.kind == "application.discarded"]
    keys = [e.detail["key"] for e in engine.audit(iid) if e.kind == "application.invoked"]
    prefix = keys[0].split(".", 1)[0] + "."
    assert all(key.startswith(prefix) for key in keys)
    assert (
        "may have gone on to make calls recorded after this one for the job"
        in (lost.detail["reason"])
    )
    assert repr(prefix) in lost.detail["reason"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
