"""The HTTP agent's overall deadline: one request, however its bytes arrive, ends in time.

httpx's timeouts bound each network operation, not a request: a service that sends a byte
every so often (a slow body, or slow headers) keeps each read under the timeout and the call
running for ever, holding a thread and a connection long after the engine has recorded the
call as failed. :class:`Deadline` bounds the whole request. At the deadline a timer shuts the
connection's socket down, which ends a read blocked in another thread at once (a close alone
does not wake it on every platform), and the agent checks the deadline between the chunks of
the body it streams; either way the call then raises
:class:`~wfengine.errors.ApplicationTimeoutError`.

The socket is learnt from httpcore's ``trace`` request extension (its documented hook, which
reports the network stream a connection opens); a transport that opens none (a test's mock)
is bounded by the checks between chunks only.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any


class Deadline:
    """The moment ``seconds`` from now after which a request must not go on."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds  # from now; watching() starts it again
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        #: set once the deadline has cut the request short: its errors are a timeout
        self.passed = False

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's ``trace`` extension: keeps the socket each opened stream stands on
        (after TLS, the TLS socket: the plain one is detached from its descriptor then)."""
        if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        stream = info.get("return_value")
        found = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(found, socket.socket):
            return
        with self._lock:
            self._socket = found
            late = self.passed
        if late:  # the deadline came while connecting
            _shut(found)

    def check(self) -> None:
        """Mark the deadline passed (see :attr:`passed`) once it has; the caller stops."""
        if time.monotonic() >= self._end:
            self.passed = True

    @contextmanager
    def watching(self) -> Iterator[None]:
        """Within it, a timer shuts the connection down when the deadline passes, ``seconds``
        from its start: the request's own time (making the client, its TLS context read
        from disk, does not count, as it did not under httpx's own timeouts)."""
        self._end = time.monotonic() + self.seconds
        timer = threading.Timer(self.seconds, self._cut)
        timer.name = "wfengine-http-deadline"
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()

    def _cut(self) -> None:
        with self._lock:
            self.passed = True
            found = self._socket
        if found is not None:
            _shut(found)


def _shut(sock: socket.socket) -> None:
    """Shut ``sock`` down both ways: a read blocked on it returns at once (as end of file)."""
    with suppress(OSError):  # closed already, or never connected: nothing left to stop
        sock.shutdown(socket.SHUT_RDWR)
