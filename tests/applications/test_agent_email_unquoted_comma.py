"""A display name's unquoted comma (``Doe, Ann <ann@example.org>``) is refused, naming the part
and telling to quote the name; before, the message also went to a local mailbox ``Doe``.

Only that shape is taken for the mistake: a bare word, then after a ``,`` a display name with
its ``<address>``. A local mailbox beside full addresses is sent as it always was
(``root, ann@example.org``, ``Ann Doe <ann@example.org>, Ops <ops>``; for a while both were
refused), and so is a list's item ``root`` beside another item's full address (the e-mail
notifier gives each user's address as an item).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.applications.fake_smtp import recording_agent
from wfengine.applications.agents.mail import readable_recipients
from wfengine.applications.registry import ApplicationFunc
from wfengine.errors import PermanentApplicationError


def _to_and_cc(message: Any, _to_addrs: list[str] | None) -> list[str]:
    """The message's To and Cc as written."""
    return [str(message["To"]), str(message["Cc"])]


def _agent() -> tuple[ApplicationFunc, list[Any]]:
    return recording_agent(_to_and_cc)


@pytest.mark.parametrize(
    "field, value, holds",
    [
        ("to", "Doe, Ann <ann@example.org>", r"to='Doe, Ann <ann@example\.org>'"),
        ("cc", "Doe, Ann <ann@example.org>", r"cc='Doe, Ann <ann@example\.org>'"),
        ("to", "bob@example.org; Doe, Ann <ann@example.org>", r"to='bob@example\.org; Doe"),
        ("to", "root, Doe, Ann <ann@example.org>", r"to='root, Doe, Ann"),
        ("to", 'Doe, "Ann" <ann@example.org>', r"to='Doe, \"Ann\""),
        ("to", ["ann@example.org", "Doe, Ann <ann@example.org>"], r"to item 'Doe, Ann <ann@"),
    ],
)
def test_a_display_name_cut_at_its_comma_is_refused(
    field: str, value: str | list[str], holds: str
) -> None:
    send, sent = _agent()
    given: dict[str, Any] = {"to": "cy@example.org", field: value}
    with pytest.raises(
        PermanentApplicationError,
        match=rf"{field}: 'Doe' followed by .*Ann.* in {holds}.* unquoted comma.*must be quoted",
    ):
        send(subject="s", body="b", **given)
    assert sent == []


def test_the_notifier_leaves_out_such_an_address_as_the_agent_refuses_it() -> None:
    assert not readable_recipients("Doe, Ann <ann@example.org>")
    assert readable_recipients('"Doe, Ann" <ann@example.org>')
    assert readable_recipients("root, ann@example.org")
    assert readable_recipients("Ann Doe <ann@example.org>, Ops <ops>")


@pytest.mark.parametrize(
    "to, header",
    [
        ('"Doe, Ann" <ann@example.org>', '"Doe, Ann" <ann@example.org>'),
        ("root", "root"),
        ("root, postmaster", "root, postmaster"),
        ("root, ann@example.org", "root, ann@example.org"),
        ("ann@example.org; postmaster", "ann@example.org, postmaster"),
        ("Ann Doe <ann@example.org>, Ops <ops>", "Ann Doe <ann@example.org>, Ops <ops>"),
        ("Doe; Ann <ann@example.org>", "Doe, Ann <ann@example.org>"),  # ';' separates
        (["root", "ann@example.org"], "root, ann@example.org"),  # a list's items: separate
    ],
)
def test_a_quoted_name_and_local_mailboxes_are_sent(to: str | list[str], header: str) -> None:
    send, sent = _agent()
    send(to=to, subject="s", body="b")
    assert sent == [[header, "None"]]
