"""Applications that fail in odd ways: an exception whose ``str()`` fails, a ``BaseException``
that is not a stop (``asyncio.CancelledError`` from a sync function running its own loop).

Both escaped the engine's command as a bare exception; on the memory store (no rollback) the
person's work item was completed and the Tool activity left running with no incident, stuck
for good. Now each is a failed attempt like any other: retried, then the EXCEPTION transition
or an incident, on every store. And a huge failure message, stored whole by every attempt's
record and the incident, is clipped.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from wfengine.applications.redaction import FAILURE_TEXT, failure_text
from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState, ProcessState


class ServiceError(Exception):
    """An exception whose ``__str__`` reads an attribute its ``__init__`` never set."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"service error {self.code}: {self.detail}"  # type: ignore[attr-defined]


def _deploy(engine: Engine, *, handled: bool = False, asynchronous: bool = False) -> str:
    """An instance waiting at ``before`` (a person's), whose next activity calls ``app``;
    ``handled``: an EXCEPTION transition leads to ``handler``."""
    pb = PackageBuilder("odd")
    pb.application("app", params=[])
    p = pb.process("p")
    p.start("s")
    p.activity("before", performer="clerk")
    p.activity("call", tool="app", args=[])
    p.end("e")
    p.sequence("s", "before", "call", "e")
    if handled:
        p.activity("handler")
        p.end("e2")
        p.transition("call", "handler", default_exception=True)
        p.sequence("handler", "e2")
    engine.deploy(pb.build())
    return engine.start_process("p")


def _cancelled() -> Any:
    """What a sync application meets when a task of the loop it runs itself is cancelled."""

    async def fetch() -> None:
        task = asyncio.current_task()
        assert task is not None
        task.cancel()
        await asyncio.sleep(1)

    return asyncio.run(fetch())


def test_an_exception_whose_str_fails_becomes_an_incident(engine: Engine) -> None:
    def app() -> None:
        raise ServiceError(503)

    engine.applications.register("app", app)
    iid = _deploy(engine)
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)  # raised AttributeError
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call" and incident.application_id == "app"
    assert "ServiceError: <str() of the ServiceError failed: AttributeError>" in incident.message
    states = {a.activity_id: a.state for a in engine.activity_instances(iid)}
    assert states["before"] is ActivityState.COMPLETED
    engine.applications.register("app", lambda: None)
    engine.retry_incident(incident.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_exception_whose_str_fails_takes_the_exception_transition(engine: Engine) -> None:
    def app() -> None:
        raise ServiceError(503)

    engine.applications.register("app", app)
    iid = _deploy(engine, handled=True)
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.incidents(iid) == []
    assert engine.trace(iid)[-2:] == ["handler", "e2"]
    [failed] = [e for e in engine.audit(iid) if e.kind == "application.failed"]
    assert failed.detail is not None
    assert failed.detail["error"].startswith("ServiceError: <str() of")


def test_a_cancelled_error_of_a_sync_application_is_a_failed_attempt(engine: Engine) -> None:
    engine.applications = ApplicationRegistry(sleep=lambda seconds: None)
    calls: list[int] = []

    def app() -> None:
        calls.append(1)
        _cancelled()

    engine.applications.register("app", app, retries=1)
    iid = _deploy(engine, handled=True)
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)  # raised CancelledError
    assert calls == [1, 1]  # retried, as any failure
    assert engine.incidents(iid) == []
    assert engine.trace(iid)[-2:] == ["handler", "e2"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_cancelled_error_without_a_handler_becomes_an_incident(engine: Engine) -> None:
    engine.applications.register("app", _cancelled)
    iid = _deploy(engine)
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call" and "raised CancelledError" in incident.message


@pytest.mark.parametrize("raised", ["cancelled", "bad str"])
def test_an_odd_failure_of_an_asynchronous_call_fails_its_job(engine: Engine, raised: str) -> None:
    def app() -> None:
        if raised == "cancelled":
            _cancelled()
        raise ServiceError(503)

    engine.applications.register("app", app, asynchronous=True)
    iid = _deploy(engine, handled=True)
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.run_due_jobs() == 1
    assert engine.incidents(iid) == []
    assert engine.trace(iid)[-2:] == ["handler", "e2"]


def test_failure_text_of_an_unprintable_exception_names_its_type() -> None:
    text = failure_text(ServiceError(1), {"pin": "12345"}, frozenset({"pin"}))
    assert text == "ServiceError: <str() of the ServiceError failed: AttributeError>"


def test_a_huge_failure_message_is_clipped_everywhere_it_is_stored(engine: Engine) -> None:
    """A 2 MB message with two retries was stored whole in every application.failed record
    and the incident; now each keeps at most FAILURE_TEXT characters and says how many more
    there were."""
    engine.applications = ApplicationRegistry(sleep=lambda seconds: None)

    def app() -> None:
        raise RuntimeError("x" * 2_000_000)

    engine.applications.register("app", app, retries=2)
    iid = _deploy(engine)
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    [incident] = engine.incidents(iid)
    assert len(incident.message) < FAILURE_TEXT + 200
    dropped = len("RuntimeError: ") + 2_000_000 - FAILURE_TEXT
    assert f"... ({dropped:,} more characters left out)" in incident.message
    failed = [e.detail for e in engine.audit(iid) if e.kind == "application.failed"]
    assert len(failed) == 3
    for detail in failed:
        assert detail is not None and len(detail["error"]) < FAILURE_TEXT + 100


def test_a_clipped_failure_text_still_hides_a_secret_cut_in_two() -> None:
    secret = "S3CR3T-T0K3N-0123456789"
    message = "x" * (FAILURE_TEXT - len("ValueError: ") - 10) + secret + "y" * 100
    text = failure_text(ValueError(message), {"token": secret}, frozenset({"token"}))
    assert secret[:10] not in text and "S3CR" not in text
    assert text.endswith(f"... ({len(secret) - 10 + 100:,} more characters left out)")
