"""The HTTP agent keeps one client per agent: later calls reuse its kept-alive connection
(before, every call made a client, loading certificates and connecting anew: tens of
milliseconds each). Sharing it must not share anything else between calls: a cookie one
answer sets is not sent with the next call, a connection the whole-request deadline shut is
never handed to a later call, and a forked process makes its own client.

The service here is a raw socket server that counts the connections it accepts and notes which
connection each request came on; the tests look at what it saw, never at a clock."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from wfengine.applications.agents import http_agent, kept_client
from wfengine.errors import ApplicationTimeoutError

#: /slow sends a header byte per PACE, its head taking far longer than TIMEOUT
PACE = 0.05
TIMEOUT = 0.5
PAD = 400


@dataclass
class Service:
    """Answers at once (setting a cookie), or trickles the head a byte at a time when the
    query asks for ``slow=true`` (noted as the path ``/slow``)."""

    url: str = ""
    accepted: int = 0
    #: (connection number, path, Cookie header or None) per request, in arrival order
    requests: list[tuple[int, str, str | None]] = field(default_factory=list)
    cut: threading.Event = field(default_factory=threading.Event)  # /slow found it closed

    def serve(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            self.accepted += 1
            number = self.accepted
            threading.Thread(target=self.connection, args=(conn, number), daemon=True).start()

    def connection(self, conn: socket.socket, number: int) -> None:
        with conn:
            pending = b""
            try:
                while True:
                    while b"\r\n\r\n" not in pending:
                        got = conn.recv(65536)
                        if not got:
                            return
                        pending += got
                    head, _, pending = pending.partition(b"\r\n\r\n")
                    lines = head.decode("latin-1").split("\r\n")
                    fields = dict(line.split(": ", 1) for line in lines[1:])
                    length = int(fields.get("content-length", fields.get("Content-Length", "0")))
                    while len(pending) < length:
                        pending += conn.recv(65536)
                    pending = pending[length:]
                    target = lines[0].split()[1]
                    path = "/slow" if "slow=true" in target else "/quick"
                    cookie = fields.get("cookie", fields.get("Cookie"))
                    self.requests.append((number, path, cookie))
                    if path == "/slow":
                        self.trickle(conn)
                        return
                    body = f'{{"n": {len(self.requests)}}}'.encode()
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + f"Set-Cookie: session=s{number}; Path=/\r\n".encode()
                        + f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
            except OSError:
                return

    def trickle(self, conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * PAD + b"\r\nContent-Length: 2\r\n\r\n{}"
        try:
            for i in range(len(head)):
                conn.sendall(head[i : i + 1])
                time.sleep(PACE)  # the service's pace, not an assertion
        except OSError:
            self.cut.set()


@pytest.fixture
def service() -> Iterator[Service]:
    running = Service()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        running.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        thread = threading.Thread(target=running.serve, args=(listener,), daemon=True)
        thread.start()
        yield running
        listener.shutdown(socket.SHUT_RDWR)


def test_calls_reuse_one_connection(service: Service) -> None:
    call = http_agent(f"{service.url}/quick", outputs=["n"])
    assert call(x=1, idempotency_key="k1") == {"n": 1}
    assert call(x=2, idempotency_key="k2") == {"n": 2}
    assert call(x=3) == {"n": 3}
    assert service.accepted == 1
    assert [number for number, _, _ in service.requests] == [1, 1, 1]


def test_calls_from_many_threads_share_the_agent(service: Service) -> None:
    call = http_agent(f"{service.url}/quick")
    answers: list[object] = []
    threads = [threading.Thread(target=lambda: answers.append(call(x=1))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == 8 and all(isinstance(a, dict) for a in answers)
    assert len(service.requests) == 8


def test_a_cookie_set_by_one_answer_is_not_sent_with_the_next_call(service: Service) -> None:
    call = http_agent(f"{service.url}/quick")
    call(x=1)
    call(x=2)
    assert len(service.requests) == 2
    assert [cookie for _, _, cookie in service.requests] == [None, None]


def test_a_call_after_a_timed_out_call_gets_a_fresh_connection(service: Service) -> None:
    """The timed-out request came on the kept-alive connection (so the deadline shut a reused
    connection, not only a new one); the next call works, on a new connection."""
    call = http_agent(f"{service.url}/quick", method="GET", timeout=TIMEOUT, outputs=["n"])
    assert call(x=1) == {"n": 1}
    with pytest.raises(ApplicationTimeoutError, match=r"within 0\.5 s"):
        call(x=1, slow=True)
    assert service.cut.wait(PAD * PACE * 3)  # the service found its connection closed
    assert call(x=2)["n"] == 3  # type: ignore[index]
    assert [(n, path) for n, path, _ in service.requests] == [
        (1, "/quick"),
        (1, "/slow"),
        (2, "/quick"),
    ]
    assert service.accepted == 2


def test_a_forked_process_makes_its_own_client(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    call = http_agent(f"{service.url}/quick")
    call(x=1)
    real = kept_client.os.getpid()
    monkeypatch.setattr(kept_client.os, "getpid", lambda: real + 1)  # as in a forked child
    call(x=2)
    call(x=3)
    assert [n for n, _, _ in service.requests] == [1, 2, 2]
