"""A message for its Cc only: ``to`` empty or an empty group (``undisclosed-recipients:;``, the
usual To of such a message) with a real ``cc`` is sent to the Cc, the group kept as its To.

Before, it was refused as having no recipient, though the agent has no Bcc and this is the
standard way to send to people who should not see each other's address in To. A message
whose ``to`` and ``cc`` together hold no address is still refused.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

import pytest

from wfengine.applications.agents import email_agent
from wfengine.applications.registry import ApplicationFunc
from wfengine.errors import PermanentApplicationError


class _Smtp(smtplib.SMTP):
    """smtplib's own ``send_message`` (the envelope it takes from To and Cc), without a server:
    ``sendmail`` records the message and its envelope."""

    sent: list[tuple[EmailMessage, list[str]]]

    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        super().__init__()  # no host: not connected

    def ehlo_or_helo_if_needed(self) -> None:
        pass

    def sendmail(
        self, from_addr: str, to_addrs: Any, msg: Any, *a: Any, **k: Any
    ) -> dict[Any, Any]:
        self.sent.append((self._message, list(to_addrs)))
        return {}

    def send_message(self, msg: Any, *a: Any, **k: Any) -> dict[Any, Any]:
        self._message = msg
        return super().send_message(msg, *a, **k)


def _agent() -> tuple[ApplicationFunc, list[tuple[EmailMessage, list[str]]]]:
    sent: list[tuple[EmailMessage, list[str]]] = []
    smtp = type("Smtp", (_Smtp,), {"sent": sent})
    return email_agent("mx", sender="wf@example.org", smtp_class=smtp), sent


@pytest.mark.parametrize(
    "to, header",
    [
        ("undisclosed-recipients:;", "undisclosed-recipients:;"),
        ("team:;", "team:;"),
        ("", None),
        ([], None),
    ],
)
def test_a_message_for_its_cc_only_is_sent_to_the_cc(to: str | list[str], header: str) -> None:
    send, sent = _agent()
    send(to=to, cc="ann@example.org; bob@example.org", subject="s", body="b")
    [(message, envelope)] = sent
    assert envelope == ["ann@example.org", "bob@example.org"]  # not '' for the empty group
    assert message["To"] == header
    assert message["Cc"] == "ann@example.org, bob@example.org"


@pytest.mark.parametrize(
    "to, cc",
    [("undisclosed-recipients:;", "  "), ("", "team:;"), ("undisclosed-recipients:;", None)],
)
def test_no_address_in_to_and_cc_together_is_still_refused(to: str, cc: str | None) -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError, match=r"no recipient: to=.* no e-mail address"):
        send(to=to, cc=cc, subject="s", body="b")
    assert sent == []


def test_an_unreadable_to_beside_a_cc_is_still_named() -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError, match=r"to: '@' is not one e-mail address"):
        send(to="@", cc="ann@example.org", subject="s", body="b")
    assert sent == []
