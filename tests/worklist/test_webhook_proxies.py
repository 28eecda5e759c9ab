"""The webhook notifier goes through the proxies the environment names, read as the HTTP agent
reads them (``http_proxies.environment_mounts``). It let httpx read the environment itself,
and httpx's reading raised ``InvalidURL`` for a ``NO_PROXY`` entry it cannot parse (``[::1]``)
when the client was made: on such a host every delivery failed, retried for hours, while the
HTTP agent worked. A proxy that cannot work is a refusal for good naming the variable, and no
failure quotes a proxy's URL (it may hold a password).

The forward proxy is the HTTP agent's tests' own: it answers itself and notes the absolute URL
each request named, and the receiver behind it does not exist (``.invalid``), so a delivery
shows the POST went through the proxy."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import pytest

from tests.applications.forward_proxy import Answering, serving
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.errors import ApplicationError, ApplicationTimeoutError, PermanentApplicationError
from wfengine.runtime.outbox import OutboxStatus
from wfengine.worklist import notifiers as n

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}]}
NOTE = n.Notification("k", "offered", "wi-1", "pi-1", "quote", ("alice",))
#: reached through the proxy alone; its query holds the webhook's secret
HOOK = "http://hooks.invalid/hook?token=T0KEN"
PASSWORD = "s3cret-pw"


@pytest.fixture
def receiver() -> Iterator[Answering]:
    yield from serving("receiver")


pytestmark = pytest.mark.usefixtures("no_machine_proxies")


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_a_notification_goes_through_the_proxy_the_environment_names(
    variable: str, proxy: Answering, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, proxy.url)  # (either case, as curl and httpx read them)
    n.WebhookNotifier(HOOK, secret="s").notify(NOTE, [])
    ((target, body),) = proxy.seen
    assert target == HOOK and isinstance(body, dict) and body["key"] == "k"


@pytest.mark.parametrize("no_proxy", ["[::1]", "::1]:80", "example.com, [::1]"])
def test_a_no_proxy_httpx_cannot_parse_no_longer_fails_every_delivery(
    no_proxy: str, receiver: Answering, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", no_proxy)  # (no proxy named: NO_PROXY says nothing)
    n.WebhookNotifier(f"{receiver.url}/hook", secret="s").notify(NOTE, [])
    assert [target for target, _ in receiver.seen] == ["/hook"]


@pytest.mark.parametrize(
    "no_proxy", ["127.0.0.1", "[::1], 127.0.0.1", "example.org,http://127.0.0.1", "*"]
)
def test_the_hosts_no_proxy_names_are_posted_to_directly(
    no_proxy: str, proxy: Answering, receiver: Answering, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    n.WebhookNotifier(f"{receiver.url}/hook", secret="s").notify(NOTE, [])
    assert [target for target, _ in receiver.seen] == ["/hook"]
    assert proxy.seen == []


def test_other_hosts_still_go_through_the_proxy(
    proxy: Answering, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", ".hooks.invalid, [::1], 127.0.0.1")  # (subdomains only)
    n.WebhookNotifier(HOOK, secret="s").notify(NOTE, [])
    assert [target for target, _ in proxy.seen] == [HOOK]


@pytest.mark.parametrize(
    "proxy_url", [f"http://clerk:{PASSWORD}@proxy:port", f"ftp://clerk:{PASSWORD}@proxy"]
)
def test_a_proxy_that_is_no_url_fails_for_good_naming_the_variable_not_its_value(
    proxy_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    with pytest.raises(PermanentApplicationError) as failed:
        n.WebhookNotifier(HOOK, secret="s").notify(NOTE, [])
    told = str(failed.value)
    assert told.startswith("webhook http://hooks.invalid: HTTP_PROXY in the environment")
    assert PASSWORD not in told and "proxy:port" not in told and "T0KEN" not in told


def test_a_no_proxy_entry_that_is_no_host_fails_for_good_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "example.com, ::1]:80")
    with pytest.raises(PermanentApplicationError) as failed:
        n.WebhookNotifier(HOOK, secret="s").notify(NOTE, [])
    assert "NO_PROXY" in str(failed.value) and "'::1]:80'" in str(failed.value)


def test_a_bad_proxy_gives_the_entry_up_at_once_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"http://clerk:{PASSWORD}@proxy:port")
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as engine:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        engine.deploy(pb.build())
        hook = n.WebhookNotifier("https://hooks.invalid/hook", secret="s")
        n.subscribe(engine.outbox.handlers, engine.directory, [hook])
        engine.start_process("p")
        engine.deliver_outbox()
        (entry,) = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
    assert (entry.status, entry.attempts) == (OutboxStatus.FAILED, 1)
    assert "HTTPS_PROXY" in (entry.last_error or "") and PASSWORD not in (entry.last_error or "")


def test_a_failure_quoting_the_proxy_does_not_show_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://clerk:{PASSWORD}@127.0.0.1:1")

    def refuse(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        raise httpx.ProxyError(f"cannot reach {os.environ['HTTP_PROXY']} for {request.url}")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)
    with pytest.raises(ApplicationError) as failed:
        n.WebhookNotifier(HOOK, secret="s").notify(NOTE, [])
    assert not isinstance(failed.value, PermanentApplicationError)  # (the proxy may come back)
    assert str(failed.value) == (
        "webhook http://hooks.invalid: ProxyError: cannot reach the proxy for http://hooks.invalid"
    )


class _TricklingProxy(BaseHTTPRequestHandler):
    """A proxy answering a header byte at a time, far longer than the notifier's timeout;
    :attr:`cut` is set once it finds the notifier has gone."""

    cut: ClassVar[threading.Event] = threading.Event()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            for _ in range(400):
                self.wfile.write(b"x")
                self.wfile.flush()
                type(self).cut.wait(0.02)  # (paces the trickle; never set while it runs)
        except OSError:
            type(self).cut.set()

    def log_message(self, *args: Any) -> None:
        pass


def test_the_timeout_bounds_the_whole_post_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _TricklingProxy.cut = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TricklingProxy)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_address[1]}")
        hook = n.WebhookNotifier(HOOK, secret="s", timeout=0.3)
        with pytest.raises(ApplicationTimeoutError, match=r"no answer within 0\.3 s"):
            hook.notify(NOTE, [])
        assert _TricklingProxy.cut.wait(60)  # the proxy found its connection shut
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
