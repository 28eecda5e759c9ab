"""A webhook notifier keeps one httpx client, made at its first delivery: making one makes an
SSL context per transport (the receiver's, and one per proxy the environment names), most of
a delivery's cost when a client was made per POST. Keeping it must keep nothing else: a
cookie a receiver sets is not sent back, threads share it, a forked process makes its own,
``close`` closes it (a later delivery makes another), and an environment refused at the first
delivery is read again at the next.

The tests count the clients made (``httpx.Client`` construction), never a clock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.applications.forward_proxy import Answering
from wfengine.applications.agents import kept_client
from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.worklist import notifiers as n

NOTE = n.Notification("k", "offered", "wi-1", "pi-1", "quote", ("alice",))


class _Receiver(ThreadingHTTPServer):
    """Answers each POST 200, setting a cookie; notes each POST's ``Cookie`` header."""

    daemon_threads = True

    def __init__(self) -> None:
        self.cookies: list[str | None] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.cookies.append(self.headers.get("Cookie"))
        self.send_response(200)
        self.send_header("Set-Cookie", f"session=s{len(self.server.cookies)}; Path=/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    server = _Receiver()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


pytestmark = pytest.mark.usefixtures("no_machine_proxies")


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Client]:
    """Every ``httpx.Client`` made from here on, in order."""
    found: list[httpx.Client] = []
    init = httpx.Client.__init__

    def noted(client: httpx.Client, *args: Any, **kwargs: Any) -> None:
        init(client, *args, **kwargs)
        found.append(client)

    monkeypatch.setattr(httpx.Client, "__init__", noted)
    return found


def test_deliveries_share_one_client(receiver: _Receiver, made: list[httpx.Client]) -> None:
    hook = n.WebhookNotifier(receiver.url, secret="s")
    for _ in range(3):
        hook.notify(NOTE, [])
    assert len(receiver.cookies) == 3
    assert len(made) == 1


def test_a_cookie_a_receiver_sets_is_not_sent_back(receiver: _Receiver) -> None:
    hook = n.WebhookNotifier(receiver.url, secret="s")
    hook.notify(NOTE, [])
    hook.notify(NOTE, [])
    assert receiver.cookies == [None, None]


def test_threads_delivering_at_once_share_it(receiver: _Receiver, made: list[httpx.Client]) -> None:
    hook = n.WebhookNotifier(receiver.url, secret="s")
    failed: list[BaseException] = []

    def deliver() -> None:
        try:
            hook.notify(NOTE, [])
        except BaseException as exc:  # (noted for the assertion below)
            failed.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failed == [] and len(receiver.cookies) == 8
    assert len(made) == 1


def test_close_closes_it_and_a_later_delivery_makes_another(
    receiver: _Receiver, made: list[httpx.Client]
) -> None:
    hook = n.WebhookNotifier(receiver.url, secret="s")
    hook.close()  # (nothing made yet: nothing to close)
    hook.notify(NOTE, [])
    hook.close()
    assert [client.is_closed for client in made] == [True]
    hook.notify(NOTE, [])
    assert [client.is_closed for client in made] == [True, False]
    assert len(receiver.cookies) == 2
    hook.close()
    hook.close()
    assert made[1].is_closed


def test_a_post_the_close_overtook_is_retried_later(
    receiver: _Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = n.WebhookNotifier(receiver.url, secret="s")
    send = httpx.Client.send

    def closed_first(client: httpx.Client, request: httpx.Request, **kwargs: Any) -> Any:
        hook.close()  # (another thread's close, between taking the client and sending)
        return send(client, request, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(httpx.Client, "send", closed_first)
        with pytest.raises(ApplicationError, match="closed as it posted: not sent") as failed:
            hook.notify(NOTE, [])
    assert not isinstance(failed.value, PermanentApplicationError)
    hook.notify(NOTE, [])  # (the outbox's retry)
    assert receiver.cookies == [None]


def test_a_forked_process_makes_its_own(
    receiver: _Receiver, made: list[httpx.Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = n.WebhookNotifier(receiver.url, secret="s")
    hook.notify(NOTE, [])
    real = kept_client.os.getpid()
    monkeypatch.setattr(kept_client.os, "getpid", lambda: real + 1)  # as in a forked child
    hook.notify(NOTE, [])
    hook.notify(NOTE, [])
    assert len(made) == 2 and len(receiver.cookies) == 3
    hook.close()  # (the child's own)
    assert [client.is_closed for client in made] == [False, True]


def test_an_environment_refused_is_read_again_at_the_next_delivery(
    proxy: Answering, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = n.WebhookNotifier("http://hooks.invalid/hook", secret="s")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy:port")
    with pytest.raises(PermanentApplicationError, match="HTTP_PROXY"):
        hook.notify(NOTE, [])
    monkeypatch.setenv("HTTP_PROXY", proxy.url)  # (fixed, then the outbox entry retried)
    hook.notify(NOTE, [])
    assert [target for target, _ in proxy.seen] == ["http://hooks.invalid/hook"]
