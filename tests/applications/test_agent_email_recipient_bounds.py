"""The host bounds whom a definition's e-mail may reach: ``email_agent_factory`` (the way to the
agent for definitions, which may be untrusted) sends to at most ``max_recipients`` addresses a
message (100 unless the host says otherwise) and, given ``allowed_recipients``, only to those
addresses and domains. Before, a definition could mail anyone, 20,000 addresses in one call.
A message past the bounds is sent to no one, with a permanent failure naming the parameter and
the first address refused. The work-item e-mail notifier, the host's own, is not bounded by
them: it tells everyone, in messages of at most 50 recipients."""

from __future__ import annotations

from typing import Any

import pytest

from tests.applications.fake_smtp import envelope, recording_smtp
from wfengine.applications.agents.mail import email_agent_factory
from wfengine.applications.registry import ApplicationFunc
from wfengine.errors import PermanentApplicationError
from wfengine.worklist.notification import Notification
from wfengine.worklist.notifiers import EmailNotifier
from wfengine.worklist.org_model import OrgUser


def _definitions_agent(**limits: Any) -> tuple[ApplicationFunc, list[list[str]]]:
    smtp, sent = recording_smtp(envelope)
    factory = email_agent_factory("mx", sender="wf@corp.example", smtp_class=smtp, **limits)
    return factory({}), sent


def _many(n: int) -> list[str]:
    return [f"p{i}@anywhere.example" for i in range(n)]


def test_a_definitions_message_for_more_than_100_addresses_is_refused_unsent() -> None:
    send, sent = _definitions_agent()
    send(to=_many(60), cc=_many(100)[60:], subject="s", body="b")  # 100 in all: sent
    assert len(sent[-1]) == 100
    with pytest.raises(PermanentApplicationError) as refused:
        send(to=_many(100), cc="p3@anywhere.example, extra@anywhere.example", subject="s")
    assert str(refused.value).startswith("cc: 'extra@anywhere.example' is past the most")
    assert "at most 100 (max_recipients)" in str(refused.value)
    assert len(sent) == 1  # nothing more was sent


def test_the_host_sets_another_limit() -> None:
    send, sent = _definitions_agent(max_recipients=2)
    with pytest.raises(PermanentApplicationError, match=r"^to: 'p2@anywhere\.example' is past"):
        send(to=_many(3), subject="s")
    assert sent == []
    unlimited, sent = _definitions_agent(max_recipients=None)
    unlimited(to=_many(500), subject="s")
    assert len(sent[-1]) == 500


def test_only_the_allowed_addresses_and_domains_are_mailed() -> None:
    send, sent = _definitions_agent(
        allowed_recipients=["corp.example", "@Bücher.example", "Partner@Other.example"]
    )
    to = ["ANN@Corp.Example", "x@xn--bcher-kva.example", "y@BÜCHER.example"]
    send(to=to, cc="Partner <partner@other.example>", subject="s")
    assert sent == [[*to, "partner@other.example"]]
    for param, refused in [
        ("cc", "eve@evil.example"),
        ("cc", "a@mail.corp.example"),  # a domain allows its own addresses only
        ("cc", "someone@other.example"),  # an address allows itself only
        ("to", "root"),  # a local mailbox has no domain a host allowed
    ]:
        given = {"to": "ann@corp.example", "cc": refused}
        if param == "to":
            given = {"to": f"ann@corp.example, {refused}"}
        with pytest.raises(PermanentApplicationError) as error:
            send(**given, subject="s")
        assert str(error.value) == (
            f"{param}: {refused!r} is not among the recipients the host allows "
            "(allowed_recipients); nothing was sent"
        )
    assert len(sent) == 1


@pytest.mark.parametrize(
    "limits",
    [
        {"allowed_recipients": "corp.example"},  # a bare text: give a list
        {"allowed_recipients": []},
        {"allowed_recipients": ["Ann <ann@corp.example>"]},
        {"allowed_recipients": ["ann@"]},
        {"allowed_recipients": [None]},
        {"max_recipients": 0},
        {"max_recipients": True},
    ],
)
def test_bounds_that_are_not_such_are_refused_when_the_host_sets_them(
    limits: dict[str, Any],
) -> None:
    name = next(iter(limits))
    with pytest.raises(ValueError, match=rf"^email_agent_factory: {name} "):
        email_agent_factory("mx", sender="wf@corp.example", **limits)


def test_the_work_item_notifier_still_tells_everyone() -> None:
    smtp, sent = recording_smtp(envelope)
    notifier = EmailNotifier("mx", sender="wf@corp.example", smtp_class=smtp)
    users = [OrgUser(id=f"u{i}", email=f"u{i}@anywhere.example") for i in range(150)]
    notification = Notification("k", "offered", "wi-1", "pi-1", "review", ("clerks",))
    notifier.notify(notification, users)
    assert sorted(a for s in sent for a in s) == sorted(u.email for u in users if u.email)
    assert [len(s) for s in sent] == [50, 50, 50]  # (messages of at most 50: not 100-bounded)
