"""A small forward proxy for the tests of the HTTP agent's and the webhook notifier's proxies:
an HTTP server that answers every request itself, ``{"via": name}``, and notes the request
target (a proxy is sent the absolute URL) and the JSON body. The service a test names through
it need not exist (``.invalid``): an answer at all shows the request went through the proxy.
The same server, named ``service``, stands for a service called directly.

Its fixtures serve every test package (``tests/conftest.py`` imports them): ``proxy``, a
forward proxy, and ``no_machine_proxies``, the machine's own proxy variables cleared (a module
takes it for all its tests with ``pytestmark = pytest.mark.usefixtures("no_machine_proxies")``)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

#: the variables a test clears (either case) so the machine's own proxies stay out of it
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD")


class Answering(ThreadingHTTPServer):
    """Answers every request with ``{"via": name}``, noting (request target, JSON body)."""

    daemon_threads = True

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: list[tuple[str, object]] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Answering

    def do_POST(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        self.server.seen.append((self.path, json.loads(self.rfile.read(size) or b"null")))
        body = json.dumps({"via": self.server.name}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serving(name: str) -> Iterator[Answering]:
    """A server answering as ``name`` on a thread, for as long as the generator runs (a
    fixture's ``yield from``)."""
    server = Answering(name)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy() -> Iterator[Answering]:
    yield from serving("proxy")


@pytest.fixture
def no_machine_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
