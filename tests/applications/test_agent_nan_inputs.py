"""The HTTP and subprocess agents send strict JSON: a parameter holding NaN or an infinity
(a float may; JSON has no number for it, and Python would write the bare ``NaN`` or
``Infinity`` no strict JSON reader takes) is a permanent application error naming the
parameter, and nothing is sent: no request, no program run. An instance meets it as an
incident after one attempt (retrying the same data cannot help)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import httpx
import pytest

from wfengine import Engine, PackageBuilder
from wfengine.applications.agents import http_agent, subprocess_agent
from wfengine.errors import PermanentApplicationError


def _recording() -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    return httpx.MockTransport(answer), seen


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize(
    "value", [math.inf, -math.inf, math.nan, [1.0, math.nan]], ids=["inf", "-inf", "nan", "list"]
)
def test_the_http_agent_sends_nothing_and_names_the_parameter(method: str, value: object) -> None:
    transport, seen = _recording()
    call = http_agent("https://svc.example/q", method=method, transport=transport)
    with pytest.raises(PermanentApplicationError, match=r"parameter 'x' holds NaN or an infinity"):
        call(ok=1.5, x=value)
    assert seen == []
    call(ok=1.5, x=2.5)  # finite numbers go as before
    assert len(seen) == 1


def test_the_subprocess_agent_does_not_run_its_program(tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    program = f"open({str(ran)!r}, 'w').close(); print('{{}}')"
    call = subprocess_agent([sys.executable, "-c", program])
    with pytest.raises(PermanentApplicationError, match=r"parameter 'x' holds NaN or an infinity"):
        call(x=math.nan)
    assert not ran.exists()
    assert call(x=1.0) == {} and ran.exists()


def test_an_instance_meets_it_as_an_incident_after_one_attempt() -> None:
    transport, seen = _recording()
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("a", "FLOAT")
    p.application("svc", params=[("x", "IN", "FLOAT")])
    p.activity("call", tool="svc", args=["a"])
    with Engine() as engine:
        engine.applications.register(
            "svc", http_agent("https://svc.example/q", transport=transport), retries=2
        )
        engine.deploy(pb.build())
        iid = engine.start_process("p", {"a": math.inf})
        [incident] = engine.incidents(iid)
    assert "PermanentApplicationError" in incident.message
    assert "parameter 'x' holds NaN or an infinity" in incident.message
    assert incident.attempts == 1  # permanent: never retried
    assert seen == []
