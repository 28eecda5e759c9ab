"""The HTTP and subprocess agents send what instance data holds beyond JSON's own values: a
Decimal as a JSON number, a timedelta (a script's ``due - now()``) as an ISO 8601 duration.
A Decimal NaN or infinity is a permanent error naming the parameter, as a float's is, and
nothing is sent; nothing is retried for a value that cannot be sent."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.applications.agents import http_agent, subprocess_agent
from wfengine.errors import PermanentApplicationError
from wfengine.json_text import iso_duration


def _recording() -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    return httpx.MockTransport(answer), seen


def test_the_http_agent_posts_decimals_as_numbers_and_durations_as_iso() -> None:
    transport, seen = _recording()
    call = http_agent("https://svc.example/q", transport=transport)
    call(amount=Decimal("12.50"), count=Decimal("3"), left=timedelta(hours=1, minutes=30))
    assert json.loads(seen[0].content) == {"amount": 12.5, "count": 3, "left": "PT1H30M"}
    assert isinstance(json.loads(seen[0].content)["count"], int)


def test_the_http_agent_puts_them_in_a_query() -> None:
    transport, seen = _recording()
    call = http_agent("https://svc.example/q", method="GET", transport=transport)
    call(amount=Decimal("0.1"), left=timedelta(seconds=-90))
    query = parse_qs(seen[0].url.query.decode())
    assert query == {"amount": ["0.1"], "left": ["-PT1M30S"]}


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("-Infinity"), [Decimal("sNaN")]])
def test_a_decimal_nan_is_permanent_and_named(value: object) -> None:
    transport, seen = _recording()
    call = http_agent("https://svc.example/q", transport=transport)
    with pytest.raises(PermanentApplicationError, match=r"parameter 'x' holds NaN or an infinity"):
        call(ok=Decimal("1"), x=value)
    assert seen == []


def test_a_value_json_cannot_carry_is_permanent_and_named() -> None:
    transport, seen = _recording()
    call = http_agent("https://svc.example/q", transport=transport)
    with pytest.raises(PermanentApplicationError, match=r"parameter 'x' cannot be sent as JSON"):
        call(x=object())
    assert seen == []


def test_the_subprocess_agent_reads_them_on_stdin(tmp_path: Path) -> None:
    out = tmp_path / "in.json"
    program = f"import sys; open({str(out)!r}, 'w').write(sys.stdin.read()); print('{{}}')"
    call = subprocess_agent([sys.executable, "-c", program])
    assert call(amount=Decimal("-7.25"), left=timedelta(days=1, microseconds=500)) == {}
    assert json.loads(out.read_text()) == {"amount": -7.25, "left": "PT24H0.0005S"}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(hours=36, seconds=1), "PT36H1S"),
        (timedelta(minutes=-5), "-PT5M"),
        (timedelta(microseconds=10), "PT0.00001S"),
    ],
)
def test_iso_duration(value: timedelta, text: str) -> None:
    assert iso_duration(value) == text


def test_an_instance_sends_a_script_s_duration_in_one_attempt() -> None:
    transport, seen = _recording()
    b = PackageBuilder("p")
    b.participant("clerk")
    b.application("svc", params=[("left", "IN", "REFERENCE"), ("amount", "IN", "REFERENCE")])
    p = b.process("proc")
    p.data_field("due", "DATETIME", initial="2030-01-02T00:00:00Z")
    p.data_field("left", "REFERENCE")
    p.data_field("amount", "REFERENCE")
    p.start("s0")
    p.activity("calc", script="left = due - now()")
    p.activity("call", tool="svc", args=["left", "amount"])
    p.activity("w", performer="clerk")
    p.end("e0")
    p.sequence("s0", "calc", "call", "w", "e0")
    e = Engine(clock=VirtualClock())
    e.applications.register("svc", http_agent("https://svc.example/x", transport=transport))
    e.deploy(b.build())
    e.clock.set(e.clock.now().replace(year=2030, month=1, day=1, hour=0, minute=0, second=0))
    iid = e.start_process("proc", {"amount": Decimal("12.50")})
    assert e.incidents() == []
    assert [w.activity_id for w in e.work_items(iid)] == ["w"]
    assert json.loads(seen[0].content) == {"left": "PT24H", "amount": 12.5}
