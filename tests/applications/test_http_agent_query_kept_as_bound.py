"""A GET or DELETE sends the bound URL's own query exactly as written: a signed URL (its
signature computed over those very bytes), a bare ``?flag``, ``;`` or ``,`` separators and
``%20`` escapes must reach the service unchanged, with or without the call's parameters after
them. It used to be re-encoded (``?flag=``, ``a+b``, ``a=1%3Bb%3D2``, ``ids=1%2C2``) even when
the call had no parameters, so what was sent was not what the allow-list checked."""

from __future__ import annotations

import httpx
import pytest

from wfengine.applications.agents import http_agent
from wfengine.applications.agents.http_json import http_agent_factory

QUERIES = [
    "flag",
    "a=1;b=2",
    "ids=1,2",
    "e=a%20b",
    "x=%7E",
    "t=a:b@c",
    "X-Amz-Credential=AKIA%2F20240101%2Fus-east-1&X-Amz-Signature=abc%3D%3D",
]


def _sent(url: str, method: str, *, factory: bool = False, **inputs: object) -> bytes:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    transport = httpx.MockTransport(answer)
    if factory:
        call = http_agent_factory(["https://svc.example/v1/"], transport=transport)(
            {"url": url, "method": method}
        )
    else:
        call = http_agent(url, method=method, transport=transport)
    call(**inputs)
    [request] = seen
    return request.url.raw_path


@pytest.mark.parametrize("method", ["GET", "DELETE"])
@pytest.mark.parametrize("factory", [False, True])
@pytest.mark.parametrize("query", QUERIES)
def test_without_parameters_the_bound_url_goes_byte_for_byte(
    query: str, factory: bool, method: str
) -> None:
    url = f"https://svc.example/v1/x?{query}"
    assert _sent(url, method, factory=factory) == f"/v1/x?{query}".encode()


@pytest.mark.parametrize("factory", [False, True])
@pytest.mark.parametrize("query", QUERIES)
def test_parameters_follow_the_bound_query_unchanged(query: str, factory: bool) -> None:
    url = f"https://svc.example/v1/x?{query}"
    sent = _sent(url, "GET", factory=factory, z="c d", n=5)
    assert sent == f"/v1/x?{query}&z=c+d&n=5".encode()


def test_a_url_without_a_query_gets_one_for_the_parameters() -> None:
    assert _sent("https://svc.example/v1/x", "GET", z="c d") == b"/v1/x?z=c+d"
    assert _sent("https://svc.example/v1/x?", "GET", z="c d") == b"/v1/x?z=c+d"
    assert _sent("https://svc.example/v1/x", "GET") == b"/v1/x"
