"""The HTTP agent's timeout bounds the whole request, not each read: a service that trickles
its answer (a byte now and then, each read well within the timeout) is cut off at the
timeout, its connection shut, and the call raises ApplicationTimeoutError. A binding's
shorter timeout does the same. Before, the agent read on until the answer was complete,
however long that took (for ever, for a service that never finishes).

The service here sends a byte at a steady pace until it has sent everything or finds its
connection closed; the tests look at what it saw, never at a clock."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from wfengine.applications.agents import http_agent
from wfengine.applications.stoppable import bounded
from wfengine.errors import ApplicationTimeoutError

#: a byte per pace; the whole answer would take BYTES * PACE (ten seconds): far beyond the
#: timeouts below, so an agent that waits for it all returns an answer and the test fails
PACE = 0.05
BYTES = 200
TIMEOUT = 0.5


@dataclass
class Trickle:
    """A one-connection HTTP service that sends its answer a byte at a time."""

    slow_head: bool
    url: str = ""
    sent: int = 0  # bytes of the trickled part sent before the end
    cut: threading.Event = field(default_factory=threading.Event)  # the client closed it
    done: threading.Event = field(default_factory=threading.Event)  # the service stopped

    def answer(self) -> tuple[bytes, bytes]:
        """The part sent at once, and the part trickled."""
        body = b'{"y": 1}'.ljust(BYTES)
        if self.slow_head:
            head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n".encode()
            return b"", head + b"X-Pad: " + b"a" * BYTES + b"\r\n\r\n" + body
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        return head, body

    def serve(self, listener: socket.socket) -> None:
        try:
            conn, _ = listener.accept()
            with conn:
                received = b""
                while b"\r\n\r\n" not in received:
                    received += conn.recv(65536)
                at_once, trickled = self.answer()
                conn.sendall(at_once)
                for i in range(len(trickled)):
                    conn.sendall(trickled[i : i + 1])
                    self.sent += 1
                    time.sleep(PACE)  # the service's pace, not an assertion
        except OSError:
            self.cut.set()
        finally:
            self.done.set()


@pytest.fixture(params=[False, True], ids=["slow-body", "slow-headers"])
def trickle(request: pytest.FixtureRequest) -> Iterator[Trickle]:
    service = Trickle(slow_head=request.param)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        service.url = f"http://127.0.0.1:{listener.getsockname()[1]}/slow"
        thread = threading.Thread(target=service.serve, args=(listener,), daemon=True)
        thread.start()
        yield service
        thread.join(BYTES * PACE * 3)


def _cut_off(trickle: Trickle) -> None:
    """The service found its connection closed before it had sent its whole answer."""
    assert trickle.done.wait(BYTES * PACE * 3)
    assert trickle.cut.is_set()
    assert trickle.sent < len(trickle.answer()[1])


def test_the_agents_own_timeout_ends_a_trickling_answer(trickle: Trickle) -> None:
    call = http_agent(trickle.url, timeout=TIMEOUT)
    with pytest.raises(ApplicationTimeoutError, match=r"no complete answer within 0\.5 s"):
        call(x=1)
    _cut_off(trickle)


def test_a_bindings_shorter_timeout_ends_a_trickling_answer(trickle: Trickle) -> None:
    call = bounded(http_agent(trickle.url, timeout=3600.0), TIMEOUT)
    assert call is not None
    with pytest.raises(ApplicationTimeoutError, match=r"within 0\.5 s"):
        call(x=1)
    _cut_off(trickle)


def test_an_answer_within_the_timeout_is_read_whole() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def serve() -> None:
            conn, _ = listener.accept()
            with conn:
                received = b""
                while b"\r\n\r\n" not in received:
                    received += conn.recv(65536)
                body = b'{"y": 2, "z": "x"}'
                head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                conn.sendall(head + body)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        answer = http_agent(f"http://127.0.0.1:{port}/quick", timeout=30.0, outputs=["y"])(x=1)
        thread.join(30)
    assert answer == {"y": 2}
