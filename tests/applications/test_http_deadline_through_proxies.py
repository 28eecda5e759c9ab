"""The whole-request deadline learns the socket a request stands on from httpcore's ``trace``
events, named after httpcore's loggers. Only ``connection.*`` was read, so through a proxy's
CONNECT tunnel (``proxy.start_tls.complete``) or a SOCKS proxy (``socks.*``) the deadline kept
the plain socket the TLS layer had detached, shut that one, and a receiver trickling its answer
held an https call (an HTTP agent, the webhook notifier) through a proxy long past its timeout."""

from __future__ import annotations

import socket

import pytest

from wfengine.applications.agents.http_deadline import Deadline


class _Stream:
    """What httpcore's trace gives as ``return_value``: a stream naming its socket."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def get_extra_info(self, name: str) -> object:
        return self._sock if name == "socket" else None


@pytest.mark.parametrize(
    "event",
    [
        "connection.start_tls.complete",
        "proxy.start_tls.complete",
        "socks.connect_tcp.complete",
        "proxy.connect_tcp.complete",
    ],
)
def test_the_socket_of_every_kind_of_connection_is_shut_at_the_deadline(event: str) -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        deadline = Deadline(60)
        deadline.passed = True  # (passed while connecting: the socket is shut as it is learnt)
        deadline.trace(event, {"return_value": _Stream(ours)})
        ours.settimeout(10)  # (a safety net only: a shut socket answers at once)
        assert ours.recv(1) == b""


def test_other_events_leave_the_socket_alone() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        deadline = Deadline(60)
        deadline.passed = True
        deadline.trace("http11.send_request_headers.complete", {"return_value": _Stream(ours)})
        theirs.sendall(b"x")
        assert ours.recv(1) == b"x"
