"""Invoking applications: failure injection, retries, timeouts, idempotency keys, audit, skip.

Each test ends in a documented state with nothing lost: data written only when every tool of
the activity succeeded, the activity either moved on, took its EXCEPTION transition, or waits
with an incident that retry/skip/abort resolve.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.applications import ToolFailure, call_application, make_binding
from wfengine.applications.events import (
    ApplicationEvent,
    ApplicationFailed,
    ApplicationInvoked,
    ApplicationReturned,
)
from wfengine.applications.redaction import REDACTED
from wfengine.definition.builder import PackageBuilder, standard_loop
from wfengine.errors import (
    DataTypeError,
    IllegalStateError,
    ParameterMappingError,
    PermanentApplicationError,
)
from wfengine.runtime.engine import Engine
from wfengine.runtime.incident_commands import skip_incident
from wfengine.runtime.states import ActivityState, ProcessState


@pytest.fixture
def sleeps(engine: Engine) -> list[float]:
    """The registry's retry sleep, recorded instead of waited."""
    waited: list[float] = []
    engine.applications.sleep = waited.append
    return waited


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Lets callables that hang finish when the test ends, so no thread outlives it long."""
    event = threading.Event()
    yield event
    event.set()


def _package(*, handler: str | None = None, out_type: str = "STRING") -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("customer", "INTEGER", initial="7").data_field("name", "STRING")
    p.data_field("secret", "STRING", initial="'hunter2'", extended={"wfengine:sensitive": "true"})
    p.application(
        "lookup",
        params=[("id", "IN", "INTEGER"), ("token", "IN", "STRING"), ("name", "OUT", out_type)],
        extended={"wfengine:sensitive": "token"},
    )
    p.activity("call", tool="lookup", args=["customer", "secret", "name"])
    p.activity("after").transition("call", "after")
    if handler:
        p.activity("handle").transition("call", "handle", exception=handler)
    return pb


def _kinds(engine: Engine, iid: str, prefix: str = "application.") -> list[str]:
    return [e.kind for e in engine.audit(iid) if e.kind.startswith(prefix)]


def test_success_maps_in_and_out_and_audits_with_redaction(engine: Engine) -> None:
    seen: dict[str, Any] = {}

    def lookup(id: int, token: str) -> dict[str, Any]:
        seen.update(id=id, token=token)
        return {"name": "Ada"}

    engine.applications.register("lookup", lookup)
    iid = run(engine, _package())
    assert seen == {"id": 7, "token": "hunter2"}
    assert engine.instance(iid).data["name"] == "Ada"
    assert engine.trace(iid) == ["call", "after"]
    invoked, returned = (e for e in engine.audit(iid) if e.kind.startswith("application."))
    assert invoked.kind == "application.invoked" and invoked.activity_id == "call"
    assert invoked.detail["inputs"] == {"id": 7, "token": REDACTED}
    assert invoked.detail["attempt"] == 1 and invoked.detail["application"] == "lookup"
    assert returned.kind == "application.returned" and returned.detail["outputs"] == {"name": "Ada"}


def test_sensitive_data_field_is_redacted_even_when_the_formal_is_not(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("pin", "STRING", initial="'1234'", extended={"wfengine:sensitive": "true"})
    p.application("check", params=[("code", "INOUT", "STRING")])
    p.activity("call", tool="check", args=["pin"])
    engine.applications.register("check", lambda code: {"code": code + "!"})
    iid = run(engine, pb)
    assert engine.instance(iid).data["pin"] == "1234!"
    details = [e.detail for e in engine.audit(iid) if e.kind.startswith("application.")]
    assert details[0]["inputs"] == {"code": REDACTED}
    assert details[1]["outputs"] == {"code": REDACTED}
    # (the idempotency key is left out: its digits, a time, may hold "1234" by chance)
    shown = [
        {k: v for k, v in e.detail.items() if k != "key"}
        if isinstance(e.detail, dict)
        else e.detail
        for e in engine.audit(iid)
    ]
    assert "1234" not in repr(shown)


def test_a_sensitive_value_of_the_wrong_type_is_not_quoted_in_the_incident(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("pin", "STRING", initial="'4711-secret'", extended={"wfengine:sensitive": "true"})
    p.data_field("token", "INTEGER")
    p.application(
        "login",
        params=[("code", "IN", "INTEGER"), ("token", "OUT", "INTEGER")],
        extended={"wfengine:sensitive": "token"},
    )
    p.activity("call", tool="login", args=["pin", "token"])
    engine.applications.register("login", lambda code: {"token": "tok-SECRET"})
    iid = run(engine, pb)
    (incident,) = engine.incidents(iid)
    assert "IN parameter 'code'" in incident.message
    assert "expected INTEGER, got a str (not shown: sensitive)" in incident.message
    engine.set_data(iid, {"pin": "12"})
    engine.retry_incident(incident.id)  # now the answer is the wrong type
    (second,) = [i for i in engine.incidents(iid) if not i.resolved]
    assert "returned OUT parameter 'token'" in second.message
    everything = repr([e.detail for e in engine.audit(iid)])
    everything += repr([r.payload for r in engine.outbox.entries()])
    assert "4711" not in everything and "SECRET" not in everything


def test_succeeds_on_the_third_try_with_backoff_and_one_key(
    engine: Engine, sleeps: list[float]
) -> None:
    keys: list[str] = []

    def flaky(id: int, token: str, *, idempotency_key: str) -> dict[str, str]:
        keys.append(idempotency_key)
        if len(keys) < 3:
            raise ConnectionError("down")
        return {"name": "Ada"}

    engine.applications.register("lookup", flaky, retries=4, backoff=0.25)
    iid = run(engine, _package())
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["name"] == "Ada"
    assert sleeps == [0.25, 0.5]
    assert len(keys) == 3 and len(set(keys)) == 1
    assert _kinds(engine, iid) == [
        "application.invoked",
        "application.failed",
        "application.invoked",
        "application.failed",
        "application.invoked",
        "application.returned",
    ]
    failed = next(e for e in engine.audit(iid) if e.kind == "application.failed")
    assert failed.detail["error"] == "ConnectionError: down" and failed.detail["retry_in"] == 0.25


def test_retries_exhausted_is_an_incident_that_retry_continues(
    engine: Engine, sleeps: list[float]
) -> None:
    keys: list[str] = []
    down = True

    def service(id: int, token: str, idempotency_key: str) -> dict[str, str]:
        keys.append(idempotency_key)
        if down:
            raise ConnectionError("down")
        return {"name": "Ada"}

    engine.applications.register("lookup", service, retries=2)
    iid = run(engine, _package())
    [incident] = engine.incidents(iid)
    assert "ConnectionError" in incident.message and "attempt 3 of 3" in incident.message
    assert "'lookup'" in incident.message and "'call'" in incident.message
    assert len(keys) == 3 and sleeps == [0.5, 1.0]
    call = engine.activity_instances(iid)[0]
    assert call.state is ActivityState.RUNNING and call.incident_id == incident.id
    assert engine.instance(iid).data["name"] is None  # nothing written
    assert engine.trace(iid) == []

    down = False
    engine.retry_incident(incident.id)
    assert engine.trace(iid) == ["call", "after"]  # continues exactly where it stopped
    assert engine.instance(iid).data["name"] == "Ada"
    assert len(set(keys)) == 1 and len(keys) == 4  # the operator's retry reuses the key
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_permanent_error_is_not_retried(engine: Engine, sleeps: list[float]) -> None:
    calls: list[int] = []

    def refuses(id: int, token: str) -> None:
        calls.append(id)
        raise PermanentApplicationError("no such customer")

    engine.applications.register("lookup", refuses, retries=5)
    iid = run(engine, _package())
    [incident] = engine.incidents(iid)
    assert calls == [7] and sleeps == []
    assert "no such customer" in incident.message


def test_failure_follows_the_exception_transition_by_class_name(engine: Engine) -> None:
    def broken(id: int, token: str) -> None:
        raise LookupError("gone")

    engine.applications.register("lookup", broken, retries=1)
    engine.applications.sleep = lambda s: None
    iid = run(engine, _package(handler="LookupError"))
    assert engine.trace(iid) == ["handle"]
    assert engine.activity_instances(iid)[0].state is ActivityState.ABORTED
    assert engine.incidents(iid) == []
    assert _kinds(engine, iid).count("application.invoked") == 2


def test_hang_past_the_timeout_is_abandoned_and_retried(
    engine: Engine, sleeps: list[float], release: threading.Event
) -> None:
    calls: list[int] = []

    def hangs(id: int, token: str) -> dict[str, str]:
        calls.append(id)
        release.wait(10)
        return {"name": "late"}

    engine.applications.register("lookup", hangs, retries=1, timeout=0.05)
    iid = run(engine, _package())
    [incident] = engine.incidents(iid)
    assert "ApplicationTimeoutError" in incident.message and "abandoned" in incident.message
    assert calls == [7, 7] and sleeps == [0.5]
    assert engine.instance(iid).data["name"] is None  # a late answer is never applied
    release.set()


def test_hang_routes_to_a_timeout_exception_transition(
    engine: Engine, release: threading.Event
) -> None:
    engine.applications.register("lookup", lambda id, token: release.wait(10), timeout=0.05)
    iid = run(engine, _package(handler="ApplicationTimeoutError"))
    assert engine.trace(iid) == ["handle"]


def test_async_callable_is_awaited_and_cancelled_at_its_timeout(engine: Engine) -> None:
    cancelled: list[bool] = []

    async def slow(id: int, token: str) -> dict[str, str]:
        try:
            await asyncio.sleep(id / 7 * 10 if token == "hunter2" else 0)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return {"name": "never"}

    async def fast(id: int, token: str) -> dict[str, str]:
        await asyncio.sleep(0)
        return {"name": f"async {id}"}

    engine.applications.register("lookup", fast, timeout=5)
    iid = run(engine, _package())
    assert engine.instance(iid).data["name"] == "async 7"
    engine.applications.register("lookup", slow, timeout=0.05)
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert "ApplicationTimeoutError" in incident.message and cancelled == [True]


@pytest.mark.parametrize("timeout", [None, 30.0])
def test_a_timeout_an_async_callable_raises_itself_is_its_failure(
    engine: Engine, timeout: float | None
) -> None:
    """Its own TimeoutError (a service it awaited gave up) follows the EXCEPTION transition
    as a plain function's does; it is not the binding's timeout (and without one, not a
    TypeError formatting a timeout of None)."""

    async def fetch(id: int, token: str) -> dict[str, str]:
        raise TimeoutError("the upstream service gave up")

    engine.applications.register("lookup", fetch, timeout=timeout)
    iid = run(engine, _package(handler="TimeoutError"))
    assert engine.incidents(iid) == []
    assert engine.trace(iid) == ["handle"]  # (the failed call is not in the trace)


@pytest.mark.parametrize("timeout", [None, 30.0])
def test_a_cancellation_inside_an_async_callable_is_its_failure(
    engine: Engine, timeout: float | None
) -> None:
    """Something the coroutine awaited was cancelled (a client library cancelling its own
    request): a CancelledError, a BaseException, used to escape the command raw, losing the
    person's completion on a database and leaving the instance stuck in memory. It is the
    call's failure: an incident an operator can retry."""

    async def fetch(id: int, token: str) -> dict[str, str]:
        request = asyncio.ensure_future(asyncio.sleep(10))
        asyncio.get_running_loop().call_soon(request.cancel)
        await request
        return {"name": "never"}

    engine.applications.register("lookup", fetch, timeout=timeout)
    iid = run(engine, _package())
    [incident] = engine.incidents(iid)
    assert "cancelled" in incident.message and "ApplicationError" in incident.message
    assert "ApplicationTimeoutError" not in incident.message


def test_engine_driven_from_async_code_still_runs_async_callables(engine: Engine) -> None:
    async def app(id: int, token: str) -> dict[str, str]:
        return {"name": "inner loop"}

    engine.applications.register("lookup", app)

    async def host() -> str:
        return run(engine, _package())

    iid = asyncio.run(host())
    assert engine.instance(iid).data["name"] == "inner loop"


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ({"name": 42.5, "extra": 1}, ["'extra'", "not its OUT/INOUT"]),
        ({}, ["did not return its OUT parameters", "'name'"]),
        (["Ada"], ["returned list", "expected a mapping"]),
        (None, ["did not return its OUT parameters"]),
    ],
)
def test_wrong_answers_are_incidents_naming_application_parameter_activity(
    engine: Engine, answer: Any, words: list[str]
) -> None:
    engine.applications.register("lookup", lambda id, token: answer, retries=3)
    engine.applications.sleep = lambda s: pytest.fail("a wrong answer must not be retried")
    iid = run(engine, _package(handler="ValueError"))  # mapping errors never route
    [incident] = engine.incidents(iid)
    assert (
        "'lookup'" in incident.message and "'call'" in incident.message and iid in incident.message
    )
    for word in words:
        assert word in incident.message
    assert engine.instance(iid).data["name"] is None and engine.trace(iid) == []
    assert _kinds(engine, iid).count("application.invoked") == 1


def test_wrong_type_returned_names_the_parameter(engine: Engine) -> None:
    engine.applications.register("lookup", lambda id, token: {"name": "many"})
    iid = run(engine, _package(out_type="INTEGER"))
    [incident] = engine.incidents(iid)
    assert "OUT parameter 'name'" in incident.message and "expected INTEGER" in incident.message
    engine.applications.register("lookup", lambda id, token: {"name": "12"})
    engine.retry_incident(incident.id)
    # numeric text is coerced, and then stored as its field (a STRING) takes it
    assert engine.instance(iid).data["name"] == "12"


def test_in_parameter_of_the_wrong_type_is_an_incident_before_any_call(engine: Engine) -> None:
    calls: list[int] = []
    engine.applications.register("lookup", lambda id, token: calls.append(id))
    engine.deploy(_package().build())
    iid = engine.create_instance("main", {"customer": 7})
    engine.set_data(iid, {"customer": "seven"})  # the host's own, unchecked way
    engine.start(iid)
    [incident] = engine.incidents(iid)
    assert "IN parameter 'id'" in incident.message and "'customer'" in incident.message
    assert calls == [] and _kinds(engine, iid) == []
    engine.set_data(iid, {"customer": "8"})
    engine.applications.register("lookup", lambda id, token: {"name": str(id + 1)})
    engine.retry_incident(incident.id)
    assert engine.instance(iid).data["name"] == "9"


def test_second_tool_failing_writes_nothing_of_the_first(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("a", "INTEGER", initial="1").data_field("b", "INTEGER", initial="0")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    p.application("copy", params=[("src", "IN", "INTEGER"), ("dst", "OUT", "INTEGER")])
    p.activity("both", tools=[("inc", ["a"]), ("copy", ["a", "b"])])
    keys: list[str] = []
    engine.applications.register(
        "inc", lambda n, idempotency_key: keys.append(idempotency_key) or {"n": n + 1}
    )
    engine.applications.register("copy", lambda src: 1 / 0)
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    assert "ZeroDivisionError" in incident.message and "'copy'" in incident.message
    assert engine.instance(iid).data == {"a": 1, "b": 0}
    engine.applications.register("copy", lambda src: {"dst": src * 10})
    engine.retry_incident(incident.id)
    assert engine.instance(iid).data == {"a": 2, "b": 20}  # copy saw inc's output
    assert keys[0] == keys[1]  # inc was repeated with its original key


def test_idempotency_key_differs_per_loop_iteration_and_tool(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("i", "INTEGER", initial="0")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    p.activity("body", tools=[("inc", ["i"]), ("inc", ["i"])], loop=standard_loop("i < 4"))
    keys: list[str] = []
    engine.applications.register(
        "inc", lambda n, idempotency_key: keys.append(idempotency_key) or {"n": n + 1}
    )
    iid = run(engine, pb)
    assert engine.instance(iid).data["i"] == 4
    assert len(keys) == 4 and len(set(keys)) == 4


# --------------------------------------------------------------------------- operator: skip


def test_skip_finishes_the_activity_with_given_outputs(engine: Engine) -> None:
    engine.applications.register("lookup", lambda id, token: 1 / 0)
    iid = run(engine, _package())
    [incident] = engine.incidents(iid)
    with pytest.raises(ParameterMappingError, match=r"writes only \['name'\]"):
        skip_incident(engine, incident.id, {"secret": "x"})
    with pytest.raises(ParameterMappingError, match="expected STRING"):
        skip_incident(engine, incident.id, {"name": ["Ada"]})
    assert engine.incidents(iid) == [incident]  # a refused skip changed nothing
    skip_incident(engine, incident.id, {"name": "by hand"})
    assert engine.instance(iid).data["name"] == "by hand"
    assert engine.trace(iid) == ["call", "after"]
    assert engine.instance(iid).state is ProcessState.COMPLETED
    skipped = next(e for e in engine.audit(iid) if e.kind == "incident.skipped")
    assert skipped.detail == {"incident": incident.id, "outputs": {"name": "by hand"}}
    with pytest.raises(IllegalStateError, match="resolved"):
        skip_incident(engine, incident.id, {})


def test_skip_of_a_failed_condition_needs_a_way_on(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("a", gateway="Exclusive").activity("b").transition("a", "b", condition="missing > 1")
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    with pytest.raises(ParameterMappingError, match="choosing the way on"):
        skip_incident(engine, incident.id, {})
    [only] = engine.incidents(iid)
    assert only.id == incident.id  # nothing changed
    skip_incident(
        engine, incident.id, {}, take=[engine.decision(incident.id).ways[0].transition_id]
    )
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_abort_ends_an_instance_stopped_on_an_incident(engine: Engine) -> None:
    engine.applications.register("lookup", lambda id, token: 1 / 0)
    iid = run(engine, _package())
    engine.abort(iid)
    assert engine.instance(iid).state is ProcessState.ABORTED
    assert engine.incidents(iid) == []


def test_skip_of_other_work_accepts_declared_data_fields(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.activity("script", script="print(x)").activity("after").transition("script", "after")
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    with pytest.raises(ParameterMappingError, match="not data fields"):
        skip_incident(engine, incident.id, {"y": 1})
    with pytest.raises(DataTypeError, match=r"data field 'x': expected INTEGER"):
        skip_incident(engine, incident.id, {"x": "r7"})  # was written into the INTEGER
    skip_incident(engine, incident.id, {"x": "5"})  # what loses nothing is converted
    assert engine.instance(iid).data["x"] == 5 and engine.trace(iid) == ["script", "after"]


def test_skip_of_a_tool_checks_its_outputs_by_the_fields_they_are_written_to(
    engine: Engine,
) -> None:
    """The formal is STRING, the field it writes INTEGER: a skip could put text in it."""
    pb = PackageBuilder("pkg")
    pb.application("lookup", params=[("out", "OUT", "STRING")])
    p = pb.process("main")
    p.data_field("n", "INTEGER")
    p.activity("call", tool="lookup", args=["n"]).activity("after")
    p.transition("call", "after")
    engine.applications.register("lookup", lambda: 1 / 0)
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    with pytest.raises(DataTypeError, match=r"data field 'n': expected INTEGER"):
        skip_incident(engine, incident.id, {"n": "r7"})
    skip_incident(engine, incident.id, {"n": "7"})
    assert engine.instance(iid).data["n"] == 7


def test_call_application_hands_its_caller_every_attempt_as_events() -> None:
    """The Interface 3 call on its own (no engine): what a host that calls applications
    itself is given, each attempt as the event the engine's audit trail stores."""
    keys: list[str] = []

    def flaky(card: str, *, idempotency_key: str) -> dict[str, str]:
        keys.append(idempotency_key)
        if len(keys) < 2:
            raise ConnectionError("down")
        return {"token": "t-1", "status": "ok"}

    events: list[ApplicationEvent] = []
    waited: list[float] = []
    binding = make_binding("charge", flaky, retries=1, backoff=0.5)
    result = call_application(
        binding,
        {"card": "4111"},
        "k-1",
        sleep=waited.append,
        record=events.append,
        sensitive=frozenset({"card", "token"}),
        where="checkout",
    )
    assert result == {"token": "t-1", "status": "ok"}
    assert keys == ["k-1", "k-1"] and waited == [0.5]
    assert events == [
        ApplicationInvoked("charge", 1, "k-1", {"card": REDACTED}),
        ApplicationFailed("charge", 1, "ConnectionError: down", 0.5),
        ApplicationInvoked("charge", 2, "k-1", {"card": REDACTED}),
        ApplicationReturned("charge", 2, {"token": REDACTED, "status": "ok"}),
    ]
    with pytest.raises(ToolFailure, match=r"^checkout: application 'charge' raised "):
        call_application(
            make_binding("charge", lambda card: 1 / 0),
            {"card": "4111"},
            "k-2",
            sleep=waited.append,
            record=events.append,
            where="checkout",
        )
    assert events[-1] == ApplicationFailed("charge", 1, "ZeroDivisionError: division by zero", None)
