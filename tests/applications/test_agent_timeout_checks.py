"""The subprocess and e-mail agents refuse a timeout that cannot work when they are made, as
the HTTP agent does (they failed only at the first call, retried into an incident); an e-mail
server that does not answer in time is an ``ApplicationTimeoutError``, which an EXCEPTION
transition for timeouts catches, as it catches the other agents'."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wfengine.applications.agents import (
    email_agent,
    email_agent_factory,
    subprocess_agent,
    subprocess_agent_factory,
)
from wfengine.errors import ApplicationTimeoutError

MAKERS: dict[str, Callable[[Any], object]] = {
    "subprocess_agent": lambda t: subprocess_agent(["/bin/echo", "{}"], timeout=t),
    "subprocess_agent_factory": lambda t: subprocess_agent_factory(
        {"echo": ["/bin/echo", "{}"]}, timeout=t
    ),
    "email_agent": lambda t: email_agent("localhost", sender="a@b.c", timeout=t),
    "email_agent_factory": lambda t: email_agent_factory("localhost", sender="a@b.c", timeout=t),
}


@pytest.mark.parametrize("maker", sorted(MAKERS))
@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf"), "5", True])
def test_an_unusable_timeout_is_refused_when_the_agent_is_made(maker: str, timeout: Any) -> None:
    with pytest.raises((TypeError, ValueError), match=f"{maker}: timeout must be"):
        MAKERS[maker](timeout)


class _SlowServer:
    """What ``smtplib.SMTP`` does when the server does not answer within ``timeout``."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        raise TimeoutError("timed out")


def test_an_email_server_not_answering_in_time_is_a_timeout() -> None:
    send = email_agent("smtp.example.com", sender="wf@example.com", smtp_class=_SlowServer)
    with pytest.raises(ApplicationTimeoutError, match="no answer within 30 s"):
        send(to="a@example.com")
