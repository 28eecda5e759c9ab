"""A webhook whose receiver refuses the notification for good (a 4xx: a wrong path, a
rejected signature, a body it will never take) fails its outbox entry at once; before, every
non-2xx answer was taken as transient and the same POST went out again and again until the
entry's attempts ran out. 408, 425 and 429 ("not now"), a 5xx and a receiver that cannot be
reached are still retried."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.outbox import OutboxStatus
from wfengine.worklist import notifiers as n

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}]}
NOTE = n.Notification("k", "offered", "wi-1", "pi-1", "quote", ("alice",))


class _Answering(BaseHTTPRequestHandler):
    """Answers every POST with :attr:`status`, counting them."""

    status: ClassVar[int] = 200
    posts: ClassVar[int] = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).posts += 1
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    """The URL of a local receiver answering ``_Answering.status``."""
    _Answering.status, _Answering.posts = 200, 0
    server = HTTPServer(("127.0.0.1", 0), _Answering)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _delivered_a_while(url: str, times: int = 3) -> Any:
    """Starts an instance whose offer the webhook at ``url`` is told of, delivers the outbox
    ``times`` times five minutes apart, and returns the offer's entry."""
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as engine:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        engine.deploy(pb.build())
        hook = n.WebhookNotifier(url, secret="s", timeout=5)
        n.subscribe(engine.outbox.handlers, engine.directory, [hook])
        engine.start_process("p")
        clock = engine.clock
        assert isinstance(clock, VirtualClock)
        for _ in range(times):
            engine.deliver_outbox()
            clock.advance(timedelta(minutes=5))
        (entry,) = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
        return entry


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 413, 422])
def test_a_4xx_is_a_refusal_for_good(receiver: str, status: int) -> None:
    _Answering.status = status
    with pytest.raises(PermanentApplicationError, match=f"answered {status}"):
        n.WebhookNotifier(receiver, secret="s").notify(NOTE, [])


def test_a_refused_webhook_fails_its_entry_at_once(receiver: str) -> None:
    _Answering.status = 404
    entry = _delivered_a_while(receiver)
    assert (entry.status, entry.attempts, _Answering.posts) == (OutboxStatus.FAILED, 1, 1)
    host = receiver.removesuffix("/hook")  # (its path is not shown: it may hold a secret)
    assert entry.last_error is not None and f"webhook {host} answered 404" in entry.last_error


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503])
def test_not_now_and_server_errors_are_retried(receiver: str, status: int) -> None:
    _Answering.status = status
    with pytest.raises(ApplicationError, match=f"answered {status}") as raised:
        n.WebhookNotifier(receiver, secret="s").notify(NOTE, [])
    assert not isinstance(raised.value, PermanentApplicationError)
    _Answering.posts = 0
    entry = _delivered_a_while(receiver)
    assert (entry.status, entry.attempts, _Answering.posts) == (OutboxStatus.PENDING, 3, 3)


def test_a_receiver_that_cannot_be_reached_is_retried() -> None:
    hook = n.WebhookNotifier("http://127.0.0.1:1/hook", secret="s", timeout=2)
    with pytest.raises(ApplicationError, match="webhook") as raised:
        hook.notify(NOTE, [])
    assert not isinstance(raised.value, PermanentApplicationError)
    entry = _delivered_a_while("http://127.0.0.1:1/hook", times=2)
    assert (entry.status, entry.attempts) == (OutboxStatus.PENDING, 2)
