"""An e-mail agent given no sender or host (None from an unset environment variable, or an
empty text) is refused when it is made, naming the setting: it was taken, and every call then
failed with ``'NoneType' object has no attribute 'rpartition'``, retried as a server outage."""

from __future__ import annotations

import pytest

from wfengine import email_agent
from wfengine.applications.agents.mail import email_agent_factory


@pytest.mark.parametrize("make", [email_agent, email_agent_factory])
@pytest.mark.parametrize(
    ("settings", "error", "named"),
    [
        ({"host": "mail.example", "sender": None}, TypeError, "sender"),
        ({"host": "mail.example", "sender": "  "}, ValueError, "sender"),
        ({"host": None, "sender": "wf@example.org"}, TypeError, "host"),
        ({"host": "", "sender": "wf@example.org"}, ValueError, "host"),
    ],
)
def test_no_sender_or_host_is_refused_when_the_agent_is_made(
    make: object, settings: dict[str, object], error: type[Exception], named: str
) -> None:
    with pytest.raises(error, match=rf"{named} must"):
        make(settings["host"], sender=settings["sender"])  # type: ignore[operator]


def test_a_usable_server_still_makes_the_agent() -> None:
    assert callable(email_agent("mail.example", sender="wf@example.org"))
    assert callable(email_agent_factory("mail.example", sender="wf@example.org"))
