"""An e-mail notifier given a setting that could never work is refused when it is made,
naming the notifier, the setting and what it takes. Before, a ``port`` of ``"25x"`` was
taken and every delivery failed as an unresolvable address (``gaierror``), 99999 or -1 as
"Connection refused" (which hid that the port is no port), 20 attempts an entry; a host with
a port or a blank in it, a sender with a line break, ``starttls="false"`` (which turned TLS
on) and a password without a username (never used) alike. A port given as text of a number
(a settings file's ``"587"``) worked, and still does. Every setting the notifier passes to
the e-mail agent is listed, so an unknown one is refused naming them all."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from wfengine import notifier
from wfengine.worklist.notification import Notification
from wfengine.worklist.org_model import OrgUser

BASE = {"host": "127.0.0.1", "sender": "wf@example.com"}
TAKES = "a whole number from 1 to 65535 (25, 465, 587)"


@pytest.mark.parametrize(
    ("settings", "error", "says"),
    [
        ({"port": "25x"}, ValueError, f"port must be {TAKES}, not '25x'"),
        ({"port": "smtp"}, ValueError, f"port must be {TAKES}, not 'smtp'"),
        ({"port": 99999}, ValueError, f"port must be {TAKES}, not 99999"),
        ({"port": -1}, ValueError, f"port must be {TAKES}, not -1"),
        ({"port": 0}, ValueError, f"port must be {TAKES}, not 0"),
        ({"port": "70000"}, ValueError, f"port must be {TAKES}, not '70000'"),
        ({"port": True}, TypeError, f"port must be {TAKES}, not True"),
        ({"port": 25.0}, TypeError, f"port must be {TAKES}, not 25.0"),
        ({"port": None}, TypeError, f"port must be {TAKES}, not None"),
        ({"host": "mail.example.com:2525"}, ValueError, "host 'mail.example.com:2525' holds a ':'"),
        ({"host": "smtp://mail"}, ValueError, "host 'smtp://mail' holds a ':'"),
        ({"host": "mail example"}, ValueError, "host 'mail example' holds a blank or control"),
        ({"host": "mail\n"}, ValueError, "host 'mail\\n' holds a blank or control character"),
        (
            {"sender": "wf@example.com\r\nBcc: x@y"},
            ValueError,
            "sender 'wf@example.com\\r\\nBcc: x@y' is not one e-mail address",
        ),
        ({"sender": "@"}, ValueError, "sender '@' is not one e-mail address"),
        (
            {"sender": "a@example.com, b@example.com"},
            ValueError,
            "sender 'a@example.com, b@example.com' is not one e-mail address; give the address "
            "notifications come from (wf@example.com, or Workflow <wf@example.com>)",
        ),
        ({"starttls": "false"}, TypeError, "starttls must be True or False, not 'false'"),
        ({"username": ""}, ValueError, "username is empty"),
        ({"username": 7}, TypeError, "username must be text, not 7"),
        ({"password": "PW-SECRET"}, ValueError, "password given without username"),
        ({"username": "u", "password": 1234}, TypeError, "password must be text, not int"),
        ({"smtp_class": "smtplib.SMTP"}, TypeError, "smtp_class must make an SMTP connection"),
        ({"timeout": 0}, ValueError, "timeout must be a positive number of seconds, not 0"),
        ({"max_recipients": 0}, ValueError, "max_recipients must be a whole number >= 1"),
        ({"allowed_recipients": "corp.example"}, ValueError, "allowed_recipients must be a"),
    ],
)
def test_a_setting_that_could_never_work_is_refused_naming_it(
    settings: dict[str, Any], error: type[Exception], says: str
) -> None:
    with pytest.raises(error) as raised:
        notifier("email", {**BASE, **settings})
    assert str(raised.value).startswith(f"notifier 'email': email notifier: {says}")
    assert "SECRET" not in str(raised.value)


def test_an_unknown_setting_is_refused_naming_every_setting_it_takes() -> None:
    with pytest.raises(TypeError) as raised:
        notifier("email", {**BASE, "tls": True})
    assert str(raised.value) == (
        "notifier 'email': no setting 'tls'; it takes host (required), port (default 25), "
        "sender (required), per_message (default 50), starttls (default False), username "
        "(default None), password (default None), timeout (default 30.0), allowed_recipients "
        "(default None), max_recipients (default None), smtp_class (default <class "
        "'smtplib.SMTP'>) (given: 'host', 'sender', 'tls')"
    )


class _Recorder:
    """Stands in for ``smtplib.SMTP``: records how the agent connected and logged in."""

    made: ClassVar[list[tuple[Any, ...]]] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.made.append(("connect", host, port, timeout))

    def __enter__(self) -> _Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def starttls(self) -> None:
        self.made.append(("starttls",))

    def login(self, username: str, password: str) -> None:
        self.made.append(("login", username, password))

    def send_message(self, message: Any, to_addrs: Any = None) -> dict[str, Any]:
        self.made.append(("send", message["From"], message["To"]))
        return {}


@pytest.mark.parametrize(
    ("settings", "sends"),
    [
        (
            {"port": "587", "starttls": True, "username": "wf", "password": "pw", "timeout": 5},
            [
                ("connect", "mail.example.com", 587, 5),
                ("starttls",),
                ("login", "wf", "pw"),
                ("send", "Workflow <wf@example.com>", "ann@example.com"),
            ],
        ),
        (
            {"host": "::1", "port": 2525},
            [
                ("connect", "::1", 2525, 30.0),
                ("send", "Workflow <wf@example.com>", "ann@example.com"),
            ],
        ),
    ],
    ids=["text port, login", "IPv6 address"],
)
def test_settings_that_work_reach_the_server(settings: dict[str, Any], sends: list[Any]) -> None:
    _Recorder.made = []
    made = notifier(
        "email",
        {
            "host": "mail.example.com",
            "sender": "Workflow <wf@example.com>",
            "smtp_class": _Recorder,
            **settings,
        },
    )
    user = OrgUser(id="ann", email="ann@example.com")
    made.notify(Notification("k", "offered", "wi-1", "pi-1", "a", ("ann",)), [user])
    assert _Recorder.made == sends
    assert repr(made) == f"email via {sends[0][1]}:{sends[0][2]}"
