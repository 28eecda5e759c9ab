"""A webhook or e-mail notifier given a setting that can never work (a secret or sender read
from an unset environment variable, a URL without http(s)://, a timeout of zero) is refused
when it is made, naming the notifier and the setting. Before, it was made, and then failed
every delivery for eight hours with a bare error ("key: expected bytes or bytearray")."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.worklist import notifiers as n

HOOK = "https://hooks.example.com/services/T00/B00/PATHTOKEN?token=QUERYTOKEN"


@pytest.mark.parametrize(
    ("settings", "error", "says"),
    [
        ({"secret": None}, TypeError, "secret must be text or bytes, not NoneType"),
        ({"secret": ""}, ValueError, "secret is empty"),
        ({"secret": b""}, ValueError, "secret is empty"),
        ({"url": None}, TypeError, "url must be text (an http(s) URL), not None"),
        ({"url": "hooks.example.com/x"}, ValueError, "http:// or https:// (it has none)"),
        ({"url": "ftp://example.com/x"}, ValueError, "(its scheme is 'ftp')"),
        ({"url": "https:///x"}, ValueError, "url names no host"),
        ({"timeout": -1}, ValueError, "timeout must be a positive number of seconds"),
        ({"timeout": "5"}, TypeError, "timeout must be a number of seconds"),
    ],
)
def test_a_webhook_setting_that_cannot_work_is_refused(
    settings: dict[str, Any], error: type[Exception], says: str
) -> None:
    with pytest.raises(error) as raised:
        n.notifier("webhook", {"url": HOOK, "secret": "k", **settings})
    assert str(raised.value).startswith("notifier 'webhook': webhook notifier: ")
    assert says in str(raised.value)
    assert "TOKEN" not in str(raised.value)


@pytest.mark.parametrize(
    ("settings", "error", "says"),
    [
        ({"sender": None}, TypeError, "sender must be text, not None"),
        ({"sender": " "}, ValueError, "sender is empty"),
        ({"host": None}, TypeError, "host must be text, not None"),
    ],
)
def test_an_email_setting_that_cannot_work_is_refused(
    settings: dict[str, Any], error: type[Exception], says: str
) -> None:
    with pytest.raises(error) as raised:
        n.notifier("email", {"host": "mail", "sender": "wf@example.com", **settings})
    assert str(raised.value).startswith(f"notifier 'email': email notifier: {says}")


def test_settings_that_work_still_make_the_notifiers() -> None:
    assert repr(n.notifier("webhook", {"url": HOOK, "secret": b"k"})) == (
        "webhook https://hooks.example.com"
    )
    assert repr(n.WebhookNotifier("HTTP://h:8080/x", secret=bytearray(b"k"), timeout=1)) == (
        "webhook http://h:8080"
    )
    assert repr(n.notifier("email", {"host": "mail", "sender": "wf@example.com"})) == (
        "email via mail:25"
    )
