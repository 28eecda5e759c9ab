"""The e-mail agent's message (and so every notification e-mail) carries a ``Date`` header.
Before, it had none: RFC 5322 requires one, a relay taking mail by SMTP need not add it, and
mail without one is scored as spam or sorted as sent at the epoch."""

from __future__ import annotations

import smtplib
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any

from wfengine.applications.agents import email_agent
from wfengine.worklist.notifiers import EmailNotifier, Notification
from wfengine.worklist.org_model import OrgUser


def _recording(sent: list[Message]) -> type[smtplib.SMTP]:
    class Smtp(smtplib.SMTP):
        def __init__(self, host: str = "", port: int = 0, **options: Any) -> None:
            super().__init__()  # no host: not connected

        def send_message(self, msg: Message, *args: Any, **kwargs: Any) -> dict[Any, Any]:
            sent.append(msg)
            return {}

    return Smtp


def test_a_message_of_the_agent_has_a_date() -> None:
    sent: list[Message] = []
    agent = email_agent("mx", sender="wf@example.org", smtp_class=_recording(sent))
    agent(to="ann@example.org", subject="Hello", body="Text", idempotency_key="k1")
    [message] = sent
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None


def test_a_notification_e_mail_has_a_date() -> None:
    sent: list[Message] = []
    notifier = EmailNotifier("mx", sender="wf@example.org", smtp_class=_recording(sent))
    offer = Notification("k1", "offered", "wi-1", "pi-1", "department", ("eva",))
    notifier.notify(offer, [OrgUser(id="eva", email="eva@example.com")])
    [message] = sent
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
