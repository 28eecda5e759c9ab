"""A service that answers 429 or 503 with ``Retry-After`` is called again once that wait
is over, not at the binding's next back-off step.

The HTTP agent ignored ``Retry-After``: a service answering "not before 20 s" was called
again after half a second, and again a second later, each answer using up a retry the call
could have had once the service was back. The agent now sets the failure's
``ApplicationError.retry_after`` (as the webhook notifier already did for the outbox), and a
binding's retry waits the longer of its back-off and that, at most its ``max_backoff``, for
synchronous calls and for asynchronous ones (whose retry is a job due that much later).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.applications.agents import http_agent
from wfengine.applications.agents.http_json import HttpServerError
from wfengine.applications.calling import call_application
from wfengine.applications.registry import ApplicationRegistry, make_binding


def _service(*answers: httpx.Response) -> tuple[httpx.MockTransport, list[int]]:
    """A service giving ``answers`` in turn (the last again and again); counts its calls."""
    calls: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return answers[min(len(calls), len(answers)) - 1]

    return httpx.MockTransport(answer), calls


def _busy(status: int = 429, after: str | None = "20") -> httpx.Response:
    headers = {"Retry-After": after} if after is not None else {}
    return httpx.Response(status, headers=headers, text="slow down")


_OK = httpx.Response(200, json={"n": 2})


@pytest.mark.parametrize(
    ("answer", "asked"),
    [
        (_busy(429, "20"), timedelta(seconds=20)),
        (_busy(503, "7"), timedelta(seconds=7)),
        (_busy(500, "20"), None),  # RFC 9110 gives it its meaning on 429 and 503 only
        (_busy(429, None), None),
        (_busy(429, "soon"), None),  # unreadable: as if none
        (_busy(429, "0"), None),
        (_busy(429, "999999999"), timedelta(days=1)),  # a service's year is a day at most
    ],
)
def test_the_agent_s_failure_carries_the_wait_asked(
    answer: httpx.Response, asked: timedelta | None
) -> None:
    transport, _ = _service(answer)
    with pytest.raises(HttpServerError) as caught:
        http_agent("https://svc.example/n", transport=transport)(n=1)
    assert caught.value.retry_after == asked


def test_an_http_date_is_read_as_the_wait_until_then() -> None:
    when = datetime.now(UTC) + timedelta(hours=1)
    transport, _ = _service(_busy(503, format_datetime(when, usegmt=True)))
    with pytest.raises(HttpServerError) as caught:
        http_agent("https://svc.example/n", transport=transport)(n=1)
    assert caught.value.retry_after is not None
    assert timedelta(minutes=58) < caught.value.retry_after <= timedelta(hours=1)


@pytest.mark.parametrize(
    ("backoff", "max_backoff", "waits"),
    [
        (0.5, 30.0, [20.0, 20.0]),  # as asked, where the back-off said 0.5 then 1
        (0.5, 10.0, [10.0, 10.0]),  # at most max_backoff
        (25.0, 60.0, [25.0, 50.0]),  # the back-off when it is longer
    ],
)
def test_a_synchronous_call_waits_as_asked(
    backoff: float, max_backoff: float, waits: list[float]
) -> None:
    transport, calls = _service(_busy(), _busy(), _OK)
    binding = make_binding(
        "svc",
        http_agent("https://svc.example/n", transport=transport),
        retries=2,
        backoff=backoff,
        max_backoff=max_backoff,
    )
    slept: list[float] = []
    answer = call_application(binding, {"n": 1}, "k", sleep=slept.append, record=lambda e: None)
    assert answer == {"n": 2}
    assert (slept, len(calls)) == (waits, 3)


def test_an_asynchronous_call_s_retry_is_due_when_the_service_asked() -> None:
    transport, calls = _service(_busy(), _OK)
    registry = ApplicationRegistry()
    registry.register(
        "svc",
        http_agent("https://svc.example/n", transport=transport),
        retries=1,
        asynchronous=True,
    )
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="1")
    p.application("svc", params=[("n", "INOUT", "INTEGER")])
    p.activity("call", tool="svc", args=["n"]).activity("end").transition("call", "end")
    clock = VirtualClock()
    engine = Engine(clock=clock, applications=registry)
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    assert engine.run_due_jobs() == 1  # the first attempt: 429, "20 s"
    (failed,) = [e for e in engine.audit(iid) if e.kind == "application.failed"]
    assert failed.detail["retry_in"] == 20.0
    clock.advance(timedelta(seconds=19))
    assert (engine.run_due_jobs(), len(calls)) == (0, 1)  # not before the 20 s
    clock.advance(timedelta(seconds=1))
    assert (engine.run_due_jobs(), len(calls)) == (1, 2)
    instance = engine.instance(iid)
    assert (instance.state.value, instance.data["n"]) == ("closed.completed", 2)
