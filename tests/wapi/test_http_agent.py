"""The HTTP/JSON agent against a real HTTP server on 127.0.0.1, started by the test."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ApplicationError, ApplicationTimeoutError, PermanentApplicationError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState
from wfengine.wapi.agents import HttpClientError, HttpServerError, http_agent, http_agent_factory


class Service:
    """What the server saw, and how many times /flaky still fails."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []
        self.failures_left = 2
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    service: Service

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _reply(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting (the timeout test): what a real server sees too

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self._record("GET", url.path, query)
        self._reply(200, {"echo": query})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"null")
        path = urlparse(self.path).path
        self._record("POST", path, body)
        if path == "/lookup":
            self._reply(200, {"name": f"customer {body['id']}", "ignored": True})
        elif path == "/bad":
            self._reply(404, {"error": "no such customer"})
        elif path == "/flaky":
            with self.service.lock:
                fail = self.service.failures_left > 0
                self.service.failures_left -= 1
            if fail:
                self._reply(503, {"error": "overloaded"})
            else:
                self._reply(200, {"name": "finally"})
        elif path == "/slow":
            time.sleep(1.0)
            self._reply(200, {"name": "too late"})
        elif path == "/list":
            self._reply(200, ["not", "an", "object"])
        else:
            self._reply(500, {"error": "unknown path"})

    def _record(self, method: str, path: str, body: Any) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.service.lock:
            self.service.requests.append((method, path, headers, body))


@pytest.fixture
def server() -> Iterator[tuple[str, Service]]:
    service = Service()
    handler = type("BoundHandler", (Handler,), {"service": service})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", service
    httpd.shutdown()
    httpd.server_close()


def _package(extended: dict[str, str | None] | None = None) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("customer", "INTEGER", initial="7").data_field("name", "STRING")
    p.application(
        "lookup", params=[("id", "IN", "INTEGER"), ("name", "OUT", "STRING")], extended=extended
    )
    p.activity("call", tool="lookup", args=["customer", "name"])
    return pb


def test_success_posts_json_and_maps_the_answer(
    engine: Engine, server: tuple[str, Service]
) -> None:
    url, service = server
    engine.applications.register(
        "lookup", http_agent(f"{url}/lookup", outputs=["name"], headers={"X-Api": "k"})
    )
    iid = run(engine, _package())
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["name"] == "customer 7"
    [(method, path, headers, body)] = service.requests
    assert (method, path, body) == ("POST", "/lookup", {"id": 7})
    assert headers["content-type"] == "application/json" and headers["x-api"] == "k"
    assert headers["idempotency-key"].startswith(iid)


def test_4xx_is_not_retried_and_becomes_an_incident(
    engine: Engine, server: tuple[str, Service]
) -> None:
    url, service = server
    engine.applications.register("lookup", http_agent(f"{url}/bad"), retries=3)
    iid = run(engine, _package())
    [incident] = engine.incidents(iid)
    assert "HttpClientError" in incident.message and "404" in incident.message
    assert "no such customer" in incident.message
    assert len(service.requests) == 1
    assert engine.instance(iid).state is ProcessState.RUNNING


def test_5xx_is_retried_with_the_same_idempotency_key(
    engine: Engine, server: tuple[str, Service]
) -> None:
    url, service = server
    engine.applications.register("lookup", http_agent(f"{url}/flaky"), retries=3)
    iid = run(engine, _package())
    assert engine.instance(iid).data["name"] == "finally"
    keys = {headers["idempotency-key"] for _, _, headers, _ in service.requests}
    assert len(service.requests) == 3 and len(keys) == 1


def test_5xx_beyond_the_retries_is_an_incident_an_operator_retries(
    engine: Engine, server: tuple[str, Service]
) -> None:
    url, service = server
    service.failures_left = 3
    engine.applications.register("lookup", http_agent(f"{url}/flaky"), retries=1)
    iid = run(engine, _package())
    [incident] = engine.incidents(iid)
    assert "HttpServerError" in incident.message and "503" in incident.message
    engine.retry_incident(incident.id)  # third request fails, fourth succeeds
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert len(service.requests) == 4


def test_timeout_is_retried_then_an_incident(engine: Engine, server: tuple[str, Service]) -> None:
    url, service = server
    engine.applications.register("lookup", http_agent(f"{url}/slow", timeout=0.1), retries=1)
    iid = run(engine, _package())
    [incident] = engine.incidents(iid)
    assert "ApplicationTimeoutError" in incident.message
    assert len(service.requests) == 2
    assert engine.instance(iid).data["name"] is None


def test_unreachable_service_is_a_retryable_error() -> None:
    with pytest.raises(ApplicationError, match="ConnectError") as info:
        http_agent("http://127.0.0.1:9/", timeout=1)()  # nothing listens on the discard port
    assert not isinstance(info.value, PermanentApplicationError | ApplicationTimeoutError)


def test_non_object_answer_is_permanent(server: tuple[str, Service]) -> None:
    url, _ = server
    with pytest.raises(Exception, match="expected an object") as info:
        http_agent(f"{url}/list")()
    assert not isinstance(info.value, HttpServerError | HttpClientError)


def test_get_sends_query_parameters(server: tuple[str, Service]) -> None:
    url, service = server
    answer = http_agent(f"{url}/q", method="GET")(a=1, b="x y", idempotency_key="k1")
    assert answer == {"echo": {"a": "1", "b": "x y"}}
    assert service.requests[0][2]["idempotency-key"] == "k1"


def test_definition_declared_http_within_allowed_prefixes(
    engine: Engine, server: tuple[str, Service]
) -> None:
    url, service = server
    engine.applications.allow_agent(
        "http", http_agent_factory([f"{url}/"], headers={"Authorization": "Bearer host"})
    )
    iid = run(
        engine,
        _package(
            {
                "wfengine:agent": "http",
                "wfengine:url": f"{url}/lookup",
                "wfengine:outputs": "name",
                "wfengine:header:Authorization": "Bearer definition",
            }
        ),
    )
    assert engine.instance(iid).data["name"] == "customer 7"
    assert service.requests[0][2]["authorization"] == "Bearer host"  # the host's header wins

    evil = _package({"wfengine:agent": "http", "wfengine:url": "http://169.254.169.254/"})
    engine.deploy(evil.build())
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert "outside the allowed prefixes" in incident.message
    assert len(service.requests) == 1
