"""A GET or DELETE whose parameter is named as a key of the binding URL's own query (the
host's ``apikey``, ``v``) is refused, naming the parameter, and nothing is sent.

Before, the parameter's value replaced the host's in the query: a definition, which the host
may not trust, could send its own API key or version in place of the host's. Refused rather
than dropped (the call would quietly lack an input) or sent twice (a service reads either).
"""

from __future__ import annotations

import httpx
import pytest

from wfengine.applications.agents import http_agent
from wfengine.applications.registry import ApplicationFunc
from wfengine.errors import PermanentApplicationError

_URL = "https://svc.example/q?apikey=HOST-SECRET&v=2"


def _agent(method: str) -> tuple[ApplicationFunc, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    return http_agent(_URL, method=method, transport=httpx.MockTransport(answer)), seen


@pytest.mark.parametrize("method", ["GET", "DELETE"])
@pytest.mark.parametrize("name", ["apikey", "v", "APIKey"])
def test_a_parameter_named_as_a_key_of_the_urls_query_is_refused(method: str, name: str) -> None:
    call, seen = _agent(method)
    with pytest.raises(PermanentApplicationError) as caught:
        call(**{name: "customer-42", "q": "x"})
    assert f"parameter {name!r} is already set by the query of the binding's URL" in str(
        caught.value
    )
    assert "HOST-SECRET" not in str(caught.value)
    assert seen == []


def test_an_unset_parameter_of_that_name_is_refused_too() -> None:
    """Whatever the value: whether a call fails must not hang on the instance's data."""
    call, seen = _agent("GET")
    with pytest.raises(PermanentApplicationError, match=r"parameter 'apikey'"):
        call(apikey=None)
    assert seen == []


def test_other_parameters_join_the_hosts_query_unchanged() -> None:
    call, seen = _agent("GET")
    call(q="x")
    [request] = seen
    assert request.url.params.multi_items() == [("apikey", "HOST-SECRET"), ("v", "2"), ("q", "x")]


def test_a_post_sends_such_a_parameter_in_its_body_as_before() -> None:
    call, seen = _agent("POST")
    call(apikey="customer-42")
    [request] = seen
    assert request.url.params["apikey"] == "HOST-SECRET"
    assert request.content == b'{"apikey": "customer-42"}'
