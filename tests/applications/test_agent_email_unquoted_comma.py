"""A display name's unquoted comma (``Doe, Ann <ann@example.org>``) is refused, naming the part
and telling to quote the name; before, the message also went to a local mailbox ``Doe``.

A part without ``@`` standing beside full addresses is taken for that mistake; a value of
local mailboxes only (``root``) is still sent as it is, and so is a list's item ``root`` beside
another item's full address (the e-mail notifier gives each user's address as an item).
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.applications.agents import email_agent
from wfengine.applications.agents.mail import readable_recipients
from wfengine.applications.registry import ApplicationFunc
from wfengine.errors import PermanentApplicationError


class _Recorder:
    sent: list[list[str]]

    def __init__(self, host: str, port: int, timeout: float | None = None) -> None:
        pass

    def __enter__(self) -> _Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def send_message(self, message: Any, to_addrs: list[str] | None = None) -> dict[str, Any]:
        self.sent.append([str(message["To"]), str(message["Cc"])])
        return {}


def _agent() -> tuple[ApplicationFunc, list[list[str]]]:
    sent: list[list[str]] = []
    smtp = type("Smtp", (_Recorder,), {"sent": sent})
    return email_agent("mx", sender="wf@example.org", smtp_class=smtp), sent  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "field, value, part",
    [
        ("to", "Doe, Ann <ann@example.org>", r"'Doe'"),
        ("cc", "Doe, Ann <ann@example.org>", r"'Doe'"),
        ("to", "bob@example.org; Doe, Ann <ann@example.org>", r"'Doe'"),
        ("to", ["ann@example.org", "Doe, Ann <ann@example.org>"], r"'Doe'"),
    ],
)
def test_a_part_without_at_beside_full_addresses_is_refused(
    field: str, value: str | list[str], part: str
) -> None:
    send, sent = _agent()
    given: dict[str, Any] = {"to": "cy@example.org", field: value}
    with pytest.raises(
        PermanentApplicationError,
        match=rf"{field}: {part} is not an e-mail address \(it has no '@'\).*must be quoted",
    ):
        send(subject="s", body="b", **given)
    assert sent == []


def test_the_notifier_leaves_out_such_an_address_as_the_agent_refuses_it() -> None:
    assert not readable_recipients("Doe, Ann <ann@example.org>")
    assert readable_recipients('"Doe, Ann" <ann@example.org>')


@pytest.mark.parametrize(
    "to, header",
    [
        ('"Doe, Ann" <ann@example.org>', '"Doe, Ann" <ann@example.org>'),
        ("root", "root"),
        ("root, postmaster", "root, postmaster"),
        (["root", "ann@example.org"], "root, ann@example.org"),  # a list's items: separate
    ],
)
def test_a_quoted_name_and_local_mailboxes_alone_are_sent(to: str | list[str], header: str) -> None:
    send, sent = _agent()
    send(to=to, subject="s", body="b")
    assert sent == [[header, "None"]]
