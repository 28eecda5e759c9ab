"""The HTTP agent goes through the proxies the host's environment names (``HTTP_PROXY``,
``HTTPS_PROXY``, ``ALL_PROXY``), except to the hosts ``NO_PROXY`` names, as httpx's own clients
and the webhook notifier do. It gave its client a transport of its own (the one the
whole-request deadline watches), and httpx reads the environment only for a client without
one: on a host that reaches services only through a proxy every call failed to connect.

The proxy here is a small forward proxy that answers itself and notes the absolute URL each
request named; the service it "forwards" to does not exist (``.invalid``), so an answer at all
shows the request went through the proxy."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.applications.forward_proxy import Answering, serving
from wfengine.applications.agents import http_agent, http_agent_factory
from wfengine.applications.agents.http_proxies import bypass_pattern, environment_mounts
from wfengine.errors import ApplicationError, PermanentApplicationError


@pytest.fixture
def service() -> Iterator[Answering]:
    yield from serving("service")


pytestmark = pytest.mark.usefixtures("no_machine_proxies")


def test_a_call_goes_through_the_proxy_the_environment_names(
    proxy: Answering, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    call = http_agent("http://service.invalid/api/orders", timeout=10)
    assert call(amount=5) == {"via": "proxy"}
    assert proxy.seen == [("http://service.invalid/api/orders", {"amount": 5})]


def test_an_untrusted_definitions_agent_goes_through_it_too(
    proxy: Answering, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("http_proxy", proxy.url)  # (either case, as curl and httpx read them)
    factory = http_agent_factory(["http://service.invalid/api"], timeout=10)
    assert factory({"url": "http://service.invalid/api/orders"})(n=1) == {"via": "proxy"}
    assert [target for target, _ in proxy.seen] == ["http://service.invalid/api/orders"]


def test_the_hosts_no_proxy_names_are_called_directly(
    proxy: Answering, service: Answering, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.org, 127.0.0.1")
    assert http_agent(f"{service.url}/x", timeout=10)(n=1) == {"via": "service"}
    assert proxy.seen == []
    assert [target for target, _ in service.seen] == ["/x"]


def test_no_proxy_star_turns_proxies_off(
    proxy: Answering, service: Answering, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "*")
    assert environment_mounts() == {}
    assert http_agent(f"{service.url}/x", timeout=10)(n=1) == {"via": "service"}
    assert proxy.seen == []


def test_a_transport_the_host_gives_is_used_as_it_is(
    proxy: Answering, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, json={"via": "transport"})

    call = http_agent("http://service.invalid/x", transport=httpx.MockTransport(answer))
    assert call() == {"via": "transport"}
    assert asked == ["http://service.invalid/x"] and proxy.seen == []


def test_a_failure_through_a_proxy_never_quotes_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    closed = Answering("gone")  # a port nobody listens on once closed
    port = closed.server_address[1]
    closed.server_close()
    proxy_url = f"http://clerk:s3cret-pw@127.0.0.1:{port}"
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    with pytest.raises(ApplicationError) as failed:
        http_agent("http://service.invalid/x", timeout=10)()
    assert "s3cret-pw" not in str(failed.value)
    assert str(failed.value).startswith("POST http://service.invalid/x: ")


@pytest.mark.parametrize(
    ("entry", "url", "bypassed"),
    [
        ("example.com", "http://example.com/", True),
        ("example.com", "https://api.example.com/", True),
        ("example.com", "http://badexample.com/", False),
        (".example.com", "http://example.com/", False),
        (".example.com", "http://api.example.com/", True),
        ("127.0.0.1", "http://127.0.0.1:8080/", True),
        ("::1", "http://[::1]:8080/", True),
        ("[::1]", "http://[::1]/", True),
        ("localhost", "http://localhost/", True),
        ("http://internal", "http://internal/", True),
        ("http://internal", "https://internal/", False),
    ],
)
def test_no_proxy_entries_are_read_as_curl_reads_them(
    entry: str, url: str, bypassed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", entry)
    assert bypass_pattern(entry) in environment_mounts()
    with httpx.Client(mounts=environment_mounts(), trust_env=False) as client:
        transport = client._transport_for_url(httpx.URL(url))
        assert (transport is client._transport) is bypassed


@pytest.mark.parametrize(
    "proxy_url", ["http://clerk:s3cret-pw@proxy:port", "ftp://clerk:s3cret-pw@proxy"]
)
def test_a_proxy_that_is_no_url_fails_for_good_naming_the_variable_not_its_value(
    proxy_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy_url)
    with pytest.raises(PermanentApplicationError) as failed:
        http_agent("https://service.invalid/x", timeout=10)()
    assert "HTTPS_PROXY" in str(failed.value)
    assert "s3cret-pw" not in str(failed.value) and "proxy:port" not in str(failed.value)


def test_a_no_proxy_entry_that_is_no_host_fails_for_good_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "example.com, ::1]:80")
    with pytest.raises(PermanentApplicationError) as failed:
        http_agent("http://service.invalid/x", timeout=10)()
    assert "NO_PROXY" in str(failed.value) and "'::1]:80'" in str(failed.value)
