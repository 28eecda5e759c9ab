"""The HTTP agent's overall deadline: one request, however its bytes arrive, ends in time.

httpx's timeouts bound each network operation, not a request: a service that sends a byte
every so often (a slow body, or slow headers) keeps each read under the timeout and the call
running for ever, holding a thread and a connection long after the engine has recorded the
call as failed. :class:`Deadline` bounds the whole request. At the deadline a timer shuts the
connection's socket down, which ends a read blocked in another thread at once (a close alone
does not wake it on every platform), and the agent checks the deadline between the chunks of
the body it streams; either way the call then raises
:class:`~wfengine.errors.ApplicationTimeoutError`.

The socket is learnt two ways. On the agent's own pooled transport
(:func:`watched_transport`), every read and write of a connection reports its socket to the
deadline of the call running in that thread, so a kept-alive connection reused by a later call
is shut at that call's deadline as well. On any other transport (proxies, the ``transport``
given for tests) httpcore's ``trace`` request extension (its documented hook) reports the
network stream a new connection opens; a transport that opens none (a test's mock) is bounded
by the checks between chunks only.

A connection the deadline shut must never serve a later call: :meth:`Deadline.watching`
stops the timer before the caller releases the connection, and :meth:`Deadline.discard`
closes the socket of a call whose deadline passed, which httpcore's pool then finds closed and
drops instead of reusing.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import httpcore
import httpx

#: the deadline of the call running in this thread (read by :class:`_WatchedStream`)
_running = threading.local()


class Deadline:
    """The moment ``seconds`` from now after which a request must not go on."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds  # from now; watching() starts it again
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._over = False  # watching() has ended: the connection may serve another call
        #: set once the deadline has cut the request short: its errors are a timeout
        self.passed = False

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's ``trace`` extension: keeps the socket each opened stream stands on
        (after TLS, the TLS socket: the plain one is detached from its descriptor then).

        Events are named after httpcore's logger: ``connection.*`` direct, ``proxy.*`` for the
        TLS step inside a proxy's CONNECT tunnel, ``socks.*`` through a SOCKS proxy; matching
        ``connection.*`` alone kept the plain socket under a tunnel's TLS, and shutting that
        one stopped nothing (a trickling receiver held an https call through a proxy)."""
        if not event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            return
        stream = info.get("return_value")
        self.attach(stream.get_extra_info("socket") if stream is not None else None)

    def attach(self, found: object) -> None:
        """``found`` is the socket the request stands on; shut at once if the deadline has
        passed already (it came while connecting)."""
        if not isinstance(found, socket.socket):
            return
        with self._lock:
            if self._socket is found or self._over:
                return
            self._socket = found
            if self.passed:
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
        outer = getattr(_running, "deadline", None)
        _running.deadline = self
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            _running.deadline = outer
            with self._lock:  # a timer firing now finds it over: it shuts nothing
                self._over = True

    def discard(self) -> None:
        """After :meth:`watching`, before the response is closed: when the deadline cut the
        request short, close its socket, so that the pool drops the connection (it finds it
        closed) rather than hand a connection shut mid-answer to a later call."""
        with self._lock:
            found = self._socket if self.passed else None
        if found is not None:
            with suppress(OSError):
                found.close()

    def _cut(self) -> None:
        with self._lock:  # shut under the lock: never after watching() has ended
            if self._over:
                return
            self.passed = True
            if self._socket is not None:
                _shut(self._socket)


def _shut(sock: socket.socket) -> None:
    """Shut ``sock`` down both ways: a read blocked on it returns at once (as end of file)."""
    with suppress(OSError):  # closed already, or never connected: nothing left to stop
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedStream(httpcore.NetworkStream):
    """A connection's stream that reports its socket to the running call's deadline before
    each read and write: a pooled connection serves many calls, each with its own deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def _report(self) -> None:
        deadline: Deadline | None = getattr(_running, "deadline", None)
        if deadline is not None:
            deadline.attach(self._stream.get_extra_info("socket"))

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self._report()
        return self._stream.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._report()
        self._stream.write(buffer, timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _WatchedStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _WatchedBackend(httpcore.NetworkBackend):
    """httpcore's network backend, its streams wrapped in :class:`_WatchedStream`."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return _WatchedStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _WatchedStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def watched_transport() -> httpx.HTTPTransport:
    """httpx's transport keeping connections alive, each connection's socket reported to the
    deadline of the call using it. httpx offers no public way to give its pool a network
    backend, so it is set on the pool httpx made; should a later httpx keep it elsewhere,
    connections are not kept alive (each call connects anew, which the ``trace`` hook reports),
    rather than a reused connection outliving its call's deadline."""
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=20)
    transport = httpx.HTTPTransport(limits=limits)
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(pool, httpcore.ConnectionPool) and isinstance(backend, httpcore.NetworkBackend):
        pool._network_backend = _WatchedBackend(backend)
        return transport
    transport.close()
    return httpx.HTTPTransport(
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=0)
    )
