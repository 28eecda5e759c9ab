"""The HTTP/JSON agent against a real HTTP server on 127.0.0.1, started by the test."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.runtime.conftest import run
from wfengine.applications.agents.http_policy import DEFAULT_DEFINITION_HEADERS, normalise_url
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
        self.recorded = threading.Condition(self.lock)

    def wait_for(self, count: int, timeout: float = 30.0) -> int:
        """How many requests arrived, once ``count`` have (or ``timeout`` passed): a busy
        machine may run the server's handler thread after the client stopped waiting."""
        with self.recorded:
            self.recorded.wait_for(lambda: len(self.requests) >= count, timeout)
            return len(self.requests)


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
        elif path == "/moved":
            try:
                self.send_response(301)
                self.send_header("Location", "https://elsewhere.example/lookup")
                self.send_header("Content-Length", "0")
                self.end_headers()
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._reply(500, {"error": "unknown path"})

    def _record(self, method: str, path: str, body: Any) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.service.recorded:
            self.service.requests.append((method, path, headers, body))
            self.service.recorded.notify_all()


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
    assert service.wait_for(2) == 2
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


def test_get_keeps_the_urls_own_query_and_adds_the_parameters(
    server: tuple[str, Service],
) -> None:
    url, _ = server
    answer = http_agent(f"{url}/q?key=SECRET&v=2", method="GET")(zip="75001")
    assert answer == {"echo": {"key": "SECRET", "v": "2", "zip": "75001"}}


def test_a_redirect_is_a_permanent_failure_naming_where_it_points(
    server: tuple[str, Service],
) -> None:
    url, service = server
    with pytest.raises(HttpClientError, match=r"answered 301 .*https://elsewhere\.example") as info:
        http_agent(f"{url}/moved")(id=1)
    assert info.value.status == 301
    assert service.wait_for(1) == 1  # not followed, not retried


def test_definition_declared_http_within_allowed_prefixes(
    engine: Engine, server: tuple[str, Service]
) -> None:
    url, service = server
    engine.applications.allow_agent(
        "http",
        http_agent_factory(
            [f"{url}/"], headers={"Authorization": "Bearer host", "Accept": "application/json"}
        ),
    )
    iid = run(
        engine,
        _package(
            {
                "wfengine:agent": "http",
                "wfengine:url": f"{url}/lookup",
                "wfengine:outputs": "name",
                "wfengine:header:accept": "text/html",
                "wfengine:header:Accept-Language": "fr",
            }
        ),
    )
    assert engine.instance(iid).data["name"] == "customer 7"
    headers = service.requests[0][2]
    assert headers["authorization"] == "Bearer host"
    assert headers["accept"] == "application/json"  # the host's header wins, whatever the case
    assert headers["accept-language"] == "fr"

    evil = _package({"wfengine:agent": "http", "wfengine:url": "http://169.254.169.254/"})
    engine.deploy(evil.build())
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert "outside the allowed prefixes" in incident.message
    assert len(service.requests) == 1


# -- issue 8, item 4: the allow-list compares normalised URLs ----------------------------------

PARTNER = "https://api.partner.example/api/"


class Recorder:
    """A MockTransport answering {} and keeping every request the agent sent."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={})


def _bind(
    url: str,
    prefixes: list[str] | str = PARTNER,
    recorder: Recorder | None = None,
    **options: Any,
) -> Any:
    """The callable a definition giving ``wfengine:url`` ``url`` gets (ValueError if refused)."""
    transport = recorder.transport if recorder is not None else None
    settings = {"url": url, **{k.replace("_", ":", 1): v for k, v in options.items()}}
    return http_agent_factory(prefixes, transport=transport)(settings)


@pytest.mark.parametrize(
    "path",
    [
        "api/../admin",
        "api/./../admin",
        "api/%2e%2e/admin",
        "api/%2E%2e/admin",
        "api/.%2e/admin",
        "api/v1/../../admin",
        "api/..%2Fadmin",  # an encoded slash some servers decode before resolving
        "api/..%5Cadmin",  # an encoded backslash IIS reads as a slash
        "api/%252e%252e/admin",  # decoded twice by some proxies
        "api/..;/admin",  # Tomcat drops ";..." and resolves the ".."
        "api/%2e%2e;x/admin",
        "api/%C0%AE%C0%AE/admin",  # overlong UTF-8 for ".."
        "apix",
        "API/x",  # paths are case-sensitive
        "",
    ],
)
def test_dot_segments_and_encodings_cannot_leave_the_allowed_path(path: str) -> None:
    recorder = Recorder()
    with pytest.raises(ValueError, match=r"outside the allowed prefixes|not accepted|not UTF-8"):
        _bind(f"https://api.partner.example/{path}", recorder=recorder)
    assert recorder.requests == []


def test_the_dot_segment_attack_is_an_incident_and_sends_nothing(
    engine: Engine, server: tuple[str, Service]
) -> None:
    url, service = server
    engine.applications.allow_agent("http", http_agent_factory([f"{url}/api/"]))
    iid = run(
        engine,
        _package({"wfengine:agent": "http", "wfengine:url": f"{url}/api/%2e%2e/lookup"}),
    )
    [incident] = engine.incidents(iid)
    assert "outside the allowed prefixes" in incident.message
    assert f"{url}/lookup" in incident.message  # the normalised form it was judged by
    assert service.requests == []


def test_userinfo_cannot_send_the_host_api_key_elsewhere(
    engine: Engine, server: tuple[str, Service]
) -> None:
    url, service = server  # the attacker's server, on 127.0.0.1
    port = url.rsplit(":", 1)[1]
    engine.applications.allow_agent(
        "http",
        http_agent_factory(["http://api.partner.example"], headers={"X-Api-Key": "secret"}),
    )
    for userinfo in ("api.partner.example", "api.partner.example:443", "u:pw"):
        evil = f"http://{userinfo}@127.0.0.1:{port}/lookup"
        iid = run(engine, _package({"wfengine:agent": "http", "wfengine:url": evil}))
        [incident] = engine.incidents(iid)
        assert "userinfo" in incident.message
    assert service.requests == []  # the raw startswith check sent the key here


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        (
            "HTTPS://API.Partner.Example.:443/api/v1/./%7euser/../items?q=%7e&r=ü",
            "https://api.partner.example/api/v1/items?q=%7E&r=%C3%BC",
        ),
        ("https://api.partner.example/%61pi/x/", "https://api.partner.example/api/x/"),
        ("https://api.partner.example/api", "https://api.partner.example/api"),
        ('https://api.partner.example/api/"x"', "https://api.partner.example/api/%22x%22"),
        # the query takes no part in the check, and is sent as given
        (
            "https://api.partner.example/api/x?next=/admin/../y",
            "https://api.partner.example/api/x?next=/admin/../y",
        ),
    ],
)
def test_the_url_sent_is_the_normalised_url_that_was_checked(given: str, sent: str) -> None:
    recorder = Recorder()
    _bind(given, recorder=recorder)()
    [request] = recorder.requests
    assert str(request.url) == sent == str(normalise_url(given))
    assert request.url.raw_path.decode() == sent.split("api.partner.example", 1)[1]


@pytest.mark.parametrize(
    ("prefix", "url", "allowed"),
    [
        ("https://h.example/api", "https://h.example/api", True),
        ("https://h.example/api", "https://h.example/api/", True),
        ("https://h.example/api", "https://h.example/api/x", True),
        ("https://h.example/api", "https://h.example/apix", False),
        ("https://h.example/api/", "https://h.example/api", True),  # trailing slash: no matter
        ("https://h.example/api/", "https://h.example/apix/", False),
        ("https://h.example", "https://h.example:443/anything", True),
        ("https://h.example", "https://h.example:8443/anything", False),
        ("https://h.example", "http://h.example/", False),
        ("http://h.example:8080", "http://h.example/", False),
        ("http://h.example:80/", "HTTP://H.EXAMPLE/x", True),
        ("https://bücher.example/", "https://XN--BCHER-KVA.example./x", True),
        ("https://xn--bcher-kva.example/", "https://BÜCHER.example/x", True),
        ("https://h.example/", "https://h.example.evil.example/", False),
        ("http://127.0.0.1:8000/", "http://127.1:8000/", False),
        ("http://127.0.0.1:8000/", "http://2130706433:8000/", False),
        ("http://[::1]:8000/", "http://[0:0::1]:8000/x", True),
    ],
)
def test_prefixes_match_scheme_host_port_and_whole_path_segments(
    prefix: str, url: str, allowed: bool
) -> None:
    recorder = Recorder()
    if allowed:
        _bind(url, [prefix], recorder)()
        assert len(recorder.requests) == 1
    else:
        with pytest.raises(ValueError):
            _bind(url, [prefix], recorder)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://api.partner.example\\@evil.example/api/", "backslash"),
        ("https://api.partner.example/api\\..\\admin", "backslash"),
        ("https://api.partner.example/api/ x", "whitespace"),
        ("https://api.partner.example/api/x\r\nHost: evil", "whitespace"),
        ("https://api.partner.example/api/\tx", "whitespace"),
        ("https://api.partner.example/api/\x00", "control"),
        ("https://api.partner\u200b.example/api/", "control"),
        (" https://api.partner.example/api/", "whitespace"),
        ("ftp://api.partner.example/api/", "not http or https"),
        ("file:///etc/passwd", "not http or https"),
        ("//api.partner.example/api/", "not an absolute"),
        ("https:api.partner.example/api/", "not an absolute"),
        ("https://api.partner.example/api/x#frag", "fragment"),
        ("https://api.partner.example/api/%zz", "malformed percent-escape"),
        ("https://api.partner.example:0/api/", "port"),
        ("https://api.partner.example:99999/api/", "port"),
        ("https://api.partner.example:/api/", "port"),
        ("https://api%2epartner.example/api/", "percent-encoded host"),
        ("https://0x7f.0.0.1/api/", "IPv4"),
        ("https:///api/", "no host"),
        ("", "empty"),
    ],
)
def test_unsafe_url_shapes_are_refused(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        _bind(url)


@pytest.mark.parametrize(
    ("prefix", "reason"),
    [
        ("https://user@api.partner.example/", "userinfo"),
        ("https://user:pw@api.partner.example/", "userinfo"),
        ("https://api.partner.example/api?x=1", "query"),
        ("https://api.partner.example/api?", "query"),
        ("https://api.partner.example/api#top", "fragment"),
        ("ftp://api.partner.example/", "not http or https"),
        ("api.partner.example/api", "not an absolute"),
    ],
)
def test_the_host_cannot_configure_an_ambiguous_prefix(prefix: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        http_agent_factory([PARTNER, prefix])
    with pytest.raises(ValueError, match="at least one"):
        http_agent_factory([])


def test_a_single_prefix_string_is_one_prefix_not_its_characters() -> None:
    factory = http_agent_factory("https://api.partner.example/api")
    with pytest.raises(ValueError, match="outside"):
        factory({"url": "https://h.example/"})  # would pass a startswith("h")


# -- issue 8, item 6: definitions set only the headers the host allows --------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Host",
        "Content-Length",
        "Transfer-Encoding",
        "Connection",
        "Keep-Alive",
        "TE",
        "Upgrade",
        "Expect",
        "Cookie",
        "authorization",
        "AUTHORIZATION",
        "Proxy-Authorization",
        "Proxy-Connection",
        "X-Forwarded-For",
        "Forwarded",
        "Idempotency-Key",
    ],
)
def test_definitions_never_set_framing_credential_or_routing_headers(name: str) -> None:
    recorder = Recorder()
    factory = http_agent_factory(
        [PARTNER], headers={"Authorization": "Bearer host"}, transport=recorder.transport
    )
    with pytest.raises(ValueError, match=f"header '{name}' may not be set by a definition"):
        factory({"url": PARTNER, f"header:{name}": "x"})
    with pytest.raises(ValueError, match="can never be set by a definition"):
        http_agent_factory([PARTNER], definition_headers=["Accept", name])
    assert recorder.requests == []


def test_a_refused_header_is_an_incident_and_a_binding_finding(
    engine: Engine, server: tuple[str, Service]
) -> None:
    url, service = server
    engine.applications.allow_agent(
        "http", http_agent_factory([f"{url}/"], headers={"Authorization": "Bearer host"})
    )
    package = _package(
        {
            "wfengine:agent": "http",
            "wfengine:url": f"{url}/lookup",
            "wfengine:header:authorization": "Bearer definition",
        }
    )
    [finding] = engine.applications.check(package.build())
    assert finding.code == "application-agent-disabled"
    assert "'authorization' may not be set by a definition" in finding.message
    iid = run(engine, package)
    [incident] = engine.incidents(iid)
    assert "'authorization' may not be set" in incident.message
    assert "http_agent_factory(headers=" in incident.message
    assert service.requests == []  # before: sent beside the host's Authorization


def test_an_unlisted_header_is_refused_with_how_the_host_allows_it() -> None:
    factory = http_agent_factory([PARTNER])
    with pytest.raises(ValueError) as info:
        factory({"url": PARTNER, "header:X-Tenant": "t1"})
    message = str(info.value)
    assert "'X-Tenant'" in message and "definition_headers=" in message
    assert "Accept, Accept-Language, Content-Type, X-Request-Id" in message
    with pytest.raises(ValueError, match="allowed: none"):
        http_agent_factory([PARTNER], definition_headers=())(
            {"url": PARTNER, "header:Accept": "application/json"}
        )


def test_default_allowed_headers_are_sent() -> None:
    recorder = Recorder()
    factory = http_agent_factory([PARTNER], transport=recorder.transport)
    factory(
        {
            "url": PARTNER,
            "header:accept": "application/vnd.partner+json",
            "header:Accept-Language": "de",
            "header:content-type": "application/merge-patch+json",
            "header:X-Request-Id": "r-1",
        }
    )(idempotency_key="k")
    [request] = recorder.requests
    assert request.headers["accept"] == "application/vnd.partner+json"
    assert request.headers["accept-language"] == "de"
    assert request.headers["content-type"] == "application/merge-patch+json"
    assert request.headers["x-request-id"] == "r-1"
    names = [name.lower() for name, _ in request.headers.multi_items()]
    assert len(names) == len(set(names))  # one header per name: no default beside the given


def test_a_host_may_allow_more_headers_case_insensitively() -> None:
    recorder = Recorder()
    factory = http_agent_factory(
        [PARTNER], definition_headers=["x-tenant"], transport=recorder.transport
    )
    factory({"url": PARTNER, "header:X-Tenant": "t1"})()
    assert recorder.requests[0].headers["x-tenant"] == "t1"
    with pytest.raises(ValueError, match="'Accept' is not one a definition may set"):
        factory({"url": PARTNER, "header:Accept": "application/json"})


def test_the_hosts_headers_win_case_insensitively_one_per_name() -> None:
    recorder = Recorder()
    factory = http_agent_factory(
        [PARTNER],
        headers={"accept": "application/json", "X-Api-Key": "secret"},
        definition_headers=["Accept", "x-api-key"],
        transport=recorder.transport,
    )
    factory({"url": PARTNER, "header:ACCEPT": "text/html", "header:x-API-key": "mine"})()
    [request] = recorder.requests
    assert request.headers.get_list("accept") == ["application/json"]
    assert request.headers.get_list("x-api-key") == ["secret"]


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("X-Request-Id", "r\r\nHost: evil.example", "printable ASCII"),
        ("X-Request-Id", "r\nx", "printable ASCII"),
        ("X-Request-Id", "ré", "printable ASCII"),
        ("X Request", "r", "not a valid HTTP header name"),
        ("Content-Type", "text/plain", "media type must be application/json"),
        ("Content-Type", "application/x-www-form-urlencoded", "media type"),
    ],
)
def test_header_values_cannot_smuggle_or_mislabel(name: str, value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        http_agent_factory([PARTNER], definition_headers=[*DEFAULT_DEFINITION_HEADERS, name])(
            {"url": PARTNER, f"header:{name}": value}
        )


def test_the_same_header_twice_in_a_definition_is_refused() -> None:
    with pytest.raises(ValueError, match="given twice"):
        http_agent_factory([PARTNER])(
            {"url": PARTNER, "header:Accept": "application/json", "header:accept": "text/html"}
        )


def test_code_bound_agent_merges_headers_case_insensitively() -> None:
    recorder = Recorder()
    func = http_agent(
        PARTNER,
        headers={"accept": "application/vnd.x+json", "idempotency-key": "stale"},
        transport=recorder.transport,
    )
    func(idempotency_key="fresh")
    [request] = recorder.requests
    assert request.headers.get_list("accept") == ["application/vnd.x+json"]
    assert request.headers.get_list("idempotency-key") == ["fresh"]
    assert request.headers.get_list("content-type") == ["application/json"]


# -- property: accepted only under a prefix, and what is checked is what is sent ----------------

PROPERTY_PREFIXES = ["https://api.partner.example/api/", "http://api.partner.example:8080/v1"]
_ALLOWED_MODEL = [
    ("https", "api.partner.example", 443, ("api",)),
    ("http", "api.partner.example", 8080, ("v1",)),
]

# A path segment as written, and what it means once decoded (None: refused outright).
_SEGMENTS: dict[str, str | None] = {
    "api": "api",
    "%61pi": "api",
    "%61%70%69": "api",
    "API": "API",
    "apix": "apix",
    "v1": "v1",
    "%76%31": "v1",
    "admin": "admin",
    "": "",
    ".": ".",
    "..": "..",
    "%2e": ".",
    "%2E": ".",
    "%2E%2e": "..",
    ".%2E": "..",
    "%7Euser": "~user",
    "~user": "~user",
    "..;": None,
    "..%2F": None,
    "%2F": None,
    "%5C": None,
    "%25": None,
}
_HOSTS = {
    "api.partner.example": "api.partner.example",
    "API.Partner.EXAMPLE": "api.partner.example",
    "api.partner.example.": "api.partner.example",
    "xn--bcher-kva.example": "xn--bcher-kva.example",
    "bücher.example": "xn--bcher-kva.example",
    "127.0.0.1": "127.0.0.1",
    "evil.example": "evil.example",
}
_QUERIES = {
    "": "",
    "?": "",
    "?q=1": "?q=1",
    "?next=/api/../x": "?next=/api/../x",
    "?a=%7e": "?a=%7E",
}


def _resolve(segments: list[str]) -> list[str]:
    """The model of dot-segment removal the property checks the agent against."""
    out: list[str] = []
    for i, segment in enumerate(segments):
        if segment in (".", ".."):
            if segment == ".." and out:
                out.pop()
            if i == len(segments) - 1:
                out.append("")
        else:
            out.append(segment)
    return out


_API_HOSTS = ["api.partner.example", "API.Partner.EXAMPLE", "api.partner.example."]
_FIRST_SEGMENTS = ["api", "%61pi", "%61%70%69", "v1", "%76%31", "API", "apix", "..", "%2e"]


@settings(max_examples=300, deadline=None)
@given(
    # Biased towards URLs near the allowed prefixes, where accepting and refusing meet.
    scheme=st.one_of(st.just("https"), st.sampled_from(["HTTPS", "hTTpS", "http", "Http", "ftp"])),
    userinfo=st.sampled_from(["", "", "", "", "user@", "u:pw@", "api.partner.example@"]),
    host=st.one_of(st.sampled_from(_API_HOSTS), st.sampled_from(sorted(_HOSTS))),
    port=st.one_of(st.just(None), st.just(443), st.sampled_from([80, 8080, 8443])),
    first=st.one_of(st.sampled_from(_FIRST_SEGMENTS[:3]), st.sampled_from(_FIRST_SEGMENTS)),
    rest=st.lists(
        st.one_of(
            st.sampled_from(["v1", "admin", "", "~user"]), st.sampled_from(sorted(_SEGMENTS))
        ),
        max_size=5,
    ),
    query=st.sampled_from(sorted(_QUERIES)),
)
def test_property_accepted_iff_normalised_url_is_under_a_prefix_and_sent_as_checked(
    scheme: str,
    userinfo: str,
    host: str,
    port: int | None,
    first: str,
    rest: list[str],
    query: str,
) -> None:
    segments = [first, *rest]
    url = f"{scheme}://{userinfo}{host}{'' if port is None else f':{port}'}/"
    url += "/".join(segments) + query
    # The model: what the URL means, worked out independently of the agent.
    scheme_l = scheme.lower()
    decoded = [_SEGMENTS[s] for s in segments]
    refused = scheme_l not in ("http", "https") or bool(userinfo) or None in decoded
    under = False
    expected = ""
    if not refused:
        effective = port if port is not None else {"http": 80, "https": 443}[scheme_l]
        path = _resolve([d for d in decoded if d is not None] or [""])
        under = any(
            (scheme_l, _HOSTS[host], effective) == (s, h, p) and tuple(path[: len(pre)]) == pre
            for s, h, p, pre in _ALLOWED_MODEL
        )
        default = effective == {"http": 80, "https": 443}[scheme_l]
        expected = (
            f"{scheme_l}://{_HOSTS[host]}{'' if default else f':{effective}'}/"
            + "/".join(path)
            + _QUERIES[query]
        )
    recorder = Recorder()
    try:
        func = _bind(url, PROPERTY_PREFIXES, recorder)
    except ValueError:
        assert refused or not under, url
        assert recorder.requests == []
        return
    assert not refused and under, url
    assert str(normalise_url(url)) == expected
    func()
    [request] = recorder.requests
    assert str(request.url) == expected, url


_TAIL = st.lists(
    st.sampled_from(
        [*"/.%aA2eEfF5\\@:;?#~ \tü．\u200b", "..", "/..", "%2e", "%2E", "%2F", "%61", "api", "apix"]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(
    head=st.sampled_from(
        [
            "https://api.partner.example/api/",
            "https://api.partner.example/api",
            "HTTPS://API.partner.example.:443/api/",
            "https://api.partner.example/",
            "https://api.partner.example",
            "https://u@api.partner.example/api/",
        ]
    ),
    tail=_TAIL,
)
def test_property_whatever_the_text_an_accepted_url_is_under_the_prefix(
    head: str, tail: str
) -> None:
    url = head + tail
    recorder = Recorder()
    try:
        func = _bind(url, [PARTNER], recorder)
    except ValueError:
        return
    func()
    [request] = recorder.requests
    sent = str(request.url)
    assert sent == str(normalise_url(url)) == str(normalise_url(sent))  # sent as checked
    parts = urlsplit(sent)
    assert (parts.scheme, parts.netloc) == ("https", "api.partner.example")
    assert parts.path == "/api" or parts.path.startswith("/api/")
    segments = [unquote(s) for s in parts.path.split("/")]
    assert "." not in segments and ".." not in segments
    assert "\\" not in sent and "#" not in sent and "%2F" not in parts.path.upper()
