"""A webhook or e-mail notifier given a setting that can never work (a secret or sender read
from an unset environment variable, a URL without http(s)://, or with a port out of range or
a host holding a blank, a timeout of zero) is refused when it is made, naming the notifier
and the setting. Before, it was made, and then failed every delivery for eight hours with a
bare error ("key: expected bytes or bytearray"; for ``:99999`` "Connection refused", which
hid that the port is no port, and for ``ex ample.com`` "Name or service not known", 20
attempts an entry)."""

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
        (
            {"url": "http://127.0.0.1:99999/hook/PATHTOKEN"},
            ValueError,
            "url's port 99999 is out of range: a port is from 1 to 65535",
        ),
        ({"url": "http://h:0/PATHTOKEN"}, ValueError, "url's port 0 is out of range"),
        (
            {"url": "http://ex ample.com/PATHTOKEN"},
            ValueError,
            "url's host 'ex ample.com' holds ' ', which no host name holds; give the "
            "receiver's name or address (hooks.example.com)",
        ),
        ({"url": "http://ex%20ample.com/"}, ValueError, "host 'ex ample.com' holds ' '"),
        ({"url": "http://a|b^c/"}, ValueError, "host 'a|b^c' holds '^', '|', which no host"),
        ({"url": "http://ex%41mple.com/"}, ValueError, "host 'ex%41mple.com' holds '%', which"),
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


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("http://h:65535/x", "http://h:65535"),
        ("http://h:1/x", "http://h:1"),
        ("http://hooks_internal.example/x", "http://hooks_internal.example"),
        ("https://bücher.example/x", "https://bücher.example"),
        ("http://[::1]:8080/x", "http://[::1]:8080"),
        ("http://[fe80::1%25eth0]/x", "http://[fe80::1%25eth0]"),
        ("https://no-such-host.invalid/x", "https://no-such-host.invalid"),
    ],
    ids=["highest port", "lowest port", "underscore", "IDN", "IPv6", "IPv6 zone", "unresolved"],
)
def test_a_webhook_url_that_may_work_is_taken(url: str, named: str) -> None:
    """Hosts a resolver may find (one with ``_``, an internationalised one, an IPv6 address
    with its zone, one that does not resolve now but may later) and the ports at either end
    of the range are taken."""
    assert repr(n.notifier("webhook", {"url": url, "secret": "k"})) == f"webhook {named}"
