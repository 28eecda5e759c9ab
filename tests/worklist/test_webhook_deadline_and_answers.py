"""The webhook notifier against receivers that misbehave: headers or a body trickling in (a
POST held past the outbox lease was posted twice), 429/503 with Retry-After (posted to every
few seconds of the hour it asked for quiet), a redirect (retried for eight hours, its target
never named), and a key outside ASCII (the header could not be sent at all)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import unquote

import pytest

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.errors import ApplicationError, ApplicationTimeoutError, PermanentApplicationError
from wfengine.runtime.outbox import OutboxPolicy, OutboxStatus
from wfengine.worklist import notifiers as n

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}]}
NOTE = n.Notification("k", "offered", "wi-1", "pi-1", "quote", ("alice",))
#: how long the trickling receivers would go on (they stop once the client has gone)
TRICKLE = 400


class _Receiver(BaseHTTPRequestHandler):
    """Answers each POST as :attr:`mode` says, recording what it got."""

    mode: ClassVar[str] = "ok"
    extra: ClassVar[dict[str, str]] = {}
    status: ClassVar[int] = 200
    posts: ClassVar[list[tuple[str, bytes]]] = []
    #: how a trickle ended: "cut" (the client went away) or "complete"
    ended: ClassVar[list[str]] = []
    done: ClassVar[threading.Event] = threading.Event()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).posts.append((self.headers["X-Wfengine-Key"], body))
        try:
            getattr(self, f"_{self.mode}")()
        except OSError:  # (the client has gone: what a deadline does)
            type(self).ended.append("cut")
        else:
            type(self).ended.append("complete")
        finally:
            type(self).done.set()

    def _ok(self) -> None:
        self.send_response(self.status)
        for name, value in self.extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _slow_headers(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(TRICKLE):  # a byte of a header at a time, each read well in time
            self.wfile.write(b"x")
            self.wfile.flush()
            type(self).done.wait(0.02)  # (paces the trickle; never set while it runs)
        self.wfile.write(b"\r\nContent-Length: 0\r\n\r\n")

    def _slow_body(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(TRICKLE))
        self.end_headers()
        for _ in range(TRICKLE):
            self.wfile.write(b"x")
            self.wfile.flush()
            type(self).done.wait(0.02)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    """The URL of a local receiver (see :class:`_Receiver`), reset."""
    _Receiver.mode, _Receiver.status, _Receiver.extra = "ok", 200, {}
    _Receiver.posts, _Receiver.ended, _Receiver.done = [], [], threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook?token=T0KEN"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _ended() -> str:
    """How the receiver's answer ended, once it has (the client closing shows at its next
    write)."""
    assert _Receiver.done.wait(60)
    (how,) = _Receiver.ended
    return how


def test_headers_trickling_in_end_at_the_timeout(receiver: str) -> None:
    _Receiver.mode = "slow_headers"
    hook = n.WebhookNotifier(receiver, secret="s", timeout=0.3)
    with pytest.raises(ApplicationTimeoutError, match=r"no answer within 0\.3 s") as raised:
        hook.notify(NOTE, [])
    assert "T0KEN" not in str(raised.value)
    assert _ended() == "cut"


def test_a_body_trickling_in_is_not_waited_for(receiver: str) -> None:
    _Receiver.mode = "slow_body"
    n.WebhookNotifier(receiver, secret="s", timeout=0.3).notify(NOTE, [])  # delivered: a 200
    assert _ended() == "cut"  # its body was not read to the end


def test_a_non_ascii_key_is_sent_percent_encoded(receiver: str) -> None:
    key = "ärende-2@3fa9/offered"
    note = n.Notification(key, "offered", "ärende-2", "pi-1", "quote", ("alice",))
    n.WebhookNotifier(receiver, secret="s").notify(note, [])
    ((header, body),) = _Receiver.posts
    assert header == "%C3%A4rende-2@3fa9/offered" and unquote(header) == key
    assert json.loads(body)["key"] == key  # the body, under the signature, holds it as is
    assert n.key_header("wi-1@3fa9c2e1b0d4/offered") == "wi-1@3fa9c2e1b0d4/offered"
    assert n.key_header("a%b c") == "a%25b%20c"  # (so unquote gives any key back)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_refused_for_good_naming_its_target(receiver: str, status: int) -> None:
    _Receiver.status = status
    _Receiver.extra = {"Location": "https://new.example:8443/hooks/SECRET?x=1"}
    with pytest.raises(PermanentApplicationError, match=f"answered {status}, a redirect") as got:
        n.WebhookNotifier(receiver, secret="s").notify(NOTE, [])
    assert "to https://new.example:8443:" in str(got.value)
    assert "SECRET" not in str(got.value) and "T0KEN" not in str(got.value)
    assert len(_Receiver.posts) == 1  # not followed


def test_a_redirect_without_location_says_so(receiver: str) -> None:
    _Receiver.status = 302
    with pytest.raises(PermanentApplicationError, match="a redirect without a Location"):
        n.WebhookNotifier(receiver, secret="s").notify(NOTE, [])


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_carried_by_the_error(receiver: str, status: int) -> None:
    _Receiver.status, _Receiver.extra = status, {"Retry-After": "120"}
    with pytest.raises(ApplicationError, match=r"Retry-After") as raised:
        n.WebhookNotifier(receiver, secret="s").notify(NOTE, [])
    assert not isinstance(raised.value, PermanentApplicationError)
    assert raised.value.retry_after == timedelta(seconds=120)


def test_an_http_date_in_the_past_or_garbage_asks_for_nothing(receiver: str) -> None:
    for value in ("Wed, 21 Oct 2015 07:28:00 GMT", "soon", "-5"):
        _Receiver.status, _Receiver.extra = 429, {"Retry-After": value}
        with pytest.raises(ApplicationError) as raised:
            n.WebhookNotifier(receiver, secret="s").notify(NOTE, [])
        assert raised.value.retry_after is None


def _delivered(url: str, policy: OutboxPolicy | None = None) -> tuple[Engine, Any]:
    """An engine whose offer the webhook at ``url`` was told of once, and that entry."""
    engine = Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))
    if policy is not None:
        engine.outbox.policy = policy
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    n.subscribe(engine.outbox, engine.directory, [n.WebhookNotifier(url, secret="s")])
    engine.start_process("p")
    engine.deliver_outbox()
    (entry,) = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
    return engine, entry


def test_the_outbox_waits_as_long_as_the_receiver_asked(receiver: str) -> None:
    _Receiver.status, _Receiver.extra = 429, {"Retry-After": "120"}
    engine, entry = _delivered(receiver)
    with engine:
        assert entry.status is OutboxStatus.PENDING
        assert entry.next_attempt_at == engine.clock.now() + timedelta(seconds=120)
        assert isinstance(engine.clock, VirtualClock)
        engine.clock.advance(timedelta(seconds=119))
        engine.deliver_outbox()
        assert len(_Receiver.posts) == 1  # quiet, as asked
        engine.clock.advance(timedelta(seconds=1))
        engine.deliver_outbox()
        assert len(_Receiver.posts) == 2


def test_a_wait_asked_beyond_the_policy_is_cut_to_its_max_retry(receiver: str) -> None:
    _Receiver.status, _Receiver.extra = 503, {"Retry-After": str(10 * 86_400)}
    engine, entry = _delivered(receiver, OutboxPolicy(max_retry=timedelta(minutes=30)))
    with engine:
        assert entry.next_attempt_at == engine.clock.now() + timedelta(minutes=30)


def test_a_redirected_webhook_fails_its_entry_at_once(receiver: str) -> None:
    _Receiver.status, _Receiver.extra = 308, {"Location": "/new"}
    engine, entry = _delivered(receiver)
    engine.close()
    assert (entry.status, entry.attempts, len(_Receiver.posts)) == (OutboxStatus.FAILED, 1, 1)
    assert "answered 308, a redirect to http://127.0.0.1:" in (entry.last_error or "")
