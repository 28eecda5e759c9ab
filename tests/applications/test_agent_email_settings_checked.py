"""The e-mail agent and its factory refuse, when made, the connection settings that could
never work, as the work-item e-mail notifier does (one check for both:
``applications/agents/mail_settings``): a host holding a ``:port`` or a blank, a
``starttls`` that is not True or False (``"false"`` turned TLS on), a username or password
that is not text, a password without a username (never used), an ``smtp_class`` that cannot
be called. Each failed every call, retried as a server outage."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import email_agent, email_agent_factory

CASES: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"host": "mail.example.com:2525"}, ValueError, "host 'mail.example.com:2525' holds a ':'"),
    ({"host": "mail example"}, ValueError, "holds a blank or control character"),
    ({"starttls": "false"}, TypeError, "starttls must be True or False, not 'false'"),
    ({"username": 5}, TypeError, "username must be text"),
    ({"username": " "}, ValueError, "username is empty"),
    ({"username": "ann", "password": 1234}, TypeError, "password must be text, not int"),
    ({"password": "PW-SECRET"}, ValueError, "password given without username"),
    ({"smtp_class": "smtplib.SMTP"}, TypeError, "smtp_class must make an SMTP connection"),
]


def _settings(changed: dict[str, Any]) -> dict[str, Any]:
    return {"host": "mail.example.com", "sender": "wf@example.com", **changed}


@pytest.mark.parametrize(("changed", "kind", "told"), CASES)
def test_the_agent_refuses_when_made(
    changed: dict[str, Any], kind: type[Exception], told: str
) -> None:
    with pytest.raises(kind, match=r"^email_agent: ") as caught:
        email_agent(**_settings(changed))
    assert told in str(caught.value) and "PW-SECRET" not in str(caught.value)


@pytest.mark.parametrize(("changed", "kind", "told"), CASES)
def test_the_factory_refuses_when_made(
    changed: dict[str, Any], kind: type[Exception], told: str
) -> None:
    with pytest.raises(kind) as caught:
        email_agent_factory(**_settings(changed))
    assert told in str(caught.value) and "PW-SECRET" not in str(caught.value)


@pytest.mark.parametrize("host", ["mail.example.com", "::1", "fe80::1", "10.0.0.1", "localhost"])
def test_hosts_that_can_be_are_taken(host: str) -> None:
    email_agent(host, sender="wf@example.com", username="ann", password="pw", starttls=True)
