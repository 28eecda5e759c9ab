"""``email_agent`` and ``email_agent_factory`` refuse, when made, a port that is no TCP port
(a whole number from 1 to 65535; text of one is taken as the number, as the e-mail notifier
takes it), and the factory an option the agent does not take.

Before (a QA pass, repro_settings.py): ``port=-1`` failed every call with "Servname not
supported" and ``port=25.5`` with "Int or String expected", each retried as if the server
were down; an unknown option of the factory failed every call as "the definition's settings".
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import email_agent, email_agent_factory
from wfengine.applications.agents.agent_ports import check_port


@pytest.mark.parametrize("make", [email_agent, email_agent_factory])
@pytest.mark.parametrize(
    ("port", "error"),
    [
        (-1, ValueError),
        (0, ValueError),
        (65536, ValueError),
        (25.5, TypeError),
        (25.0, TypeError),
        (True, TypeError),
        (None, TypeError),
        ("25x", ValueError),
        ("-1", ValueError),
        ("", ValueError),
    ],
)
def test_a_port_that_is_no_port_is_refused_when_made(
    make: Any, port: object, error: type[Exception]
) -> None:
    who = make.__name__
    with pytest.raises(error, match=rf"^{who}: port must be a whole number from 1 to 65535"):
        make("127.0.0.1", port, sender="wf@x.org")


class _Recorder:
    """Stands in for ``smtplib.SMTP``: records the port it is asked to connect to."""

    ports: list[object]

    def __init__(self, host: str, port: object, timeout: float | None = None) -> None:
        self.ports.append(port)

    def __enter__(self) -> _Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def send_message(self, message: Any, to_addrs: list[str] | None = None) -> dict[str, Any]:
        return {}


@pytest.mark.parametrize(("port", "used"), [(587, 587), (" 587 ", 587), (65535, 65535), (1, 1)])
def test_a_port_or_its_text_is_taken_and_connected_to_as_a_number(port: object, used: int) -> None:
    ports: list[object] = []
    smtp = type("Smtp", (_Recorder,), {"ports": ports})
    agent = email_agent_factory("127.0.0.1", port, sender="wf@x.org", smtp_class=smtp)({})  # type: ignore[arg-type]
    agent(to="ann@x.org", subject="s", body="b")
    assert ports == [used]


def test_the_factory_refuses_an_option_the_agent_does_not_take_when_made() -> None:
    with pytest.raises(TypeError, match="starttl"):
        email_agent_factory("127.0.0.1", sender="wf@x.org", starttl=True)


def test_the_check_says_what_the_e_mail_notifier_says() -> None:
    """One check of a port for every maker of an SMTP connection: its text names the maker."""
    with pytest.raises(ValueError, match=r"^email notifier: port must be .* not '25x'$"):
        check_port("email notifier", "25x")
