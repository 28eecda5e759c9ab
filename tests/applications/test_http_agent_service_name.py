"""The HTTP agent's failures name the service without the URL's query: a host's URL may
carry its API key there, and a failure's text goes into the audit trail and the incident."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from wfengine.applications.agents import http_agent
from wfengine.applications.agents.http_json import service_name
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ApplicationError
from wfengine.runtime.engine import Engine

_URL = "http://user:pw@svc.test:8080/v1/lookup?api_key=sk_live_SECRET123#top"


def _raising(exc: Callable[[httpx.Request], Exception]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc(request)

    return httpx.MockTransport(handler)


def test_the_service_is_named_by_scheme_host_port_and_path() -> None:
    assert service_name(_URL) == "http://svc.test:8080/v1/lookup"
    assert service_name("https://svc.test/v1") == "https://svc.test/v1"


@pytest.mark.parametrize(
    "transport",
    [
        _raising(lambda r: httpx.ConnectError(f"cannot reach {r.url}", request=r)),
        _raising(lambda r: httpx.ReadTimeout("timed out", request=r)),
        httpx.MockTransport(lambda r: httpx.Response(400, content=b"bad request")),
        httpx.MockTransport(lambda r: httpx.Response(503, content=b"busy")),
        httpx.MockTransport(
            lambda r: httpx.Response(302, headers={"location": "https://o.test/x?code=SECRET"})
        ),
        httpx.MockTransport(lambda r: httpx.Response(200, content=b"not json")),
    ],
)
def test_a_failure_never_quotes_the_query_userinfo_or_fragment(
    transport: httpx.MockTransport,
) -> None:
    call = http_agent(_URL, method="GET", transport=transport)
    with pytest.raises(ApplicationError) as caught:
        call(q="x")
    message = str(caught.value)
    assert message.startswith("GET http://svc.test:8080/v1/lookup")
    assert "SECRET" not in message and "pw" not in message and "#top" not in message


def test_a_failed_call_keeps_the_key_out_of_trail_and_incident() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("q", "STRING", initial='"x"')
    p.application("lookup", params=[("q", "IN", "STRING")])
    p.activity("call", tool="lookup", args=["q"])
    engine = Engine()
    refused = _raising(lambda r: httpx.ConnectError(f"refused: {r.url}", request=r))
    engine.applications.register("lookup", http_agent(_URL, method="GET", transport=refused))
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert "GET http://svc.test:8080/v1/lookup: ConnectError" in incident.message
    for text in [str(e.detail) for e in engine.audit(iid)] + [incident.message]:
        assert "SECRET" not in text
