"""The e-mail notifier tells a large role in messages of at most 50 recipients.

Before, one message carried every member with an address in its To: a server taking at most
1,000 recipients a message took one outbox retry per 1,000 members (a role of 20,000 was never
told within the outbox's attempts), each failed attempt's error listed every refused address
(822 KB for 16,000), the notifier's and the agent's membership tests were quadratic, and every
member saw everyone's address. Now each part is its own message with its own Message-ID, a
refused part does not keep the later parts from being sent, a retry sends only to those
without the message, and a refusal names 20 addresses and counts the rest."""

from __future__ import annotations

import smtplib
from email.utils import getaddresses
from typing import Any

import pytest

import wfengine.applications.agents.mail as mail
from wfengine.applications.agents.mail import RecipientsRefusedError, email_agent
from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.worklist.notification import Notification
from wfengine.worklist.notifiers import EmailNotifier
from wfengine.worklist.org_model import OrgUser


class _Server:
    """A fake SMTP server (its ``smtp`` stands in for ``smtplib.SMTP``): it takes at most
    ``limit`` recipients a message (452 for the others, as Postfix's
    smtpd_recipient_limit), refuses ``refused`` addresses with ``code``, and is unreachable
    while ``down`` holds a Message-ID it fails on."""

    def __init__(self, limit: int = 1000, refused: frozenset[str] = frozenset(), code: int = 550):
        self.limit, self.refused, self.code = limit, refused, code
        self.down: str | None = None
        self.messages: list[tuple[str, list[str], str]] = []  # Message-ID, envelope, To

    def smtp(self, host: str, port: int, timeout: float | None = None) -> _Connection:
        return _Connection(self)


class _Connection:
    def __init__(self, server: _Server) -> None:
        self.server = server

    def __enter__(self) -> _Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def send_message(self, message: Any, to_addrs: list[str] | None = None) -> dict[str, Any]:
        server = self.server
        if server.down is not None and message["Message-ID"] == server.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        if to_addrs is None:
            fields = [str(v) for v in message.get_all("To", []) + message.get_all("Cc", [])]
            to_addrs = [address for _, address in getaddresses(fields)]
        took: list[str] = []
        refused: dict[str, tuple[int, bytes]] = {}
        for address in to_addrs:
            if address in server.refused:
                refused[address] = (server.code, b"5.1.1 no such user")
            elif len(took) >= server.limit:
                refused[address] = (452, b"4.5.3 Error: too many recipients")
            else:
                took.append(address)
        if not took:
            raise smtplib.SMTPRecipientsRefused(refused)  # type: ignore[arg-type]
        server.messages.append((message["Message-ID"], took, str(message["To"])))
        return refused


def _role(n: int) -> list[OrgUser]:
    return [OrgUser(id=f"u{i}", email=f"user{i}@corp.example") for i in range(n)]


def _offered(users: list[OrgUser]) -> Notification:
    return Notification("e-7", "offered", "wi-1", "pi-1", "review", tuple(u.id for u in users))


def _notifier(server: _Server, **options: Any) -> EmailNotifier:
    return EmailNotifier("mx", sender="wf@corp.example", smtp_class=server.smtp, **options)


def test_a_role_of_5000_is_told_in_one_delivery_by_a_server_taking_1000_a_message() -> None:
    server = _Server(limit=1000)
    users = _role(5000)
    _notifier(server).notify(_offered(users), users)  # one delivery, no failure
    told = [a for _, envelope, _ in server.messages for a in envelope]
    assert sorted(told) == sorted(u.email for u in users if u.email)  # each once
    assert len(server.messages) == 100
    assert all(len(envelope) <= 50 for _, envelope, _ in server.messages)
    # each message shows its own part's addresses only, under its own Message-ID
    first_id, first, to = server.messages[0]
    assert [a for _, a in getaddresses([to])] == first
    ids = [mid for mid, _, _ in server.messages]
    assert len(set(ids)) == 100
    assert first_id == "<wfengine.e-7@corp.example>"  # (a small role's as before)
    assert ids[1] == "<wfengine.e-7.part-2@corp.example>"


def test_a_retry_after_a_server_lost_sends_only_the_parts_not_sent() -> None:
    server = _Server()
    users = _role(200)  # four parts
    notifier, notification = _notifier(server), _offered(users)
    server.down = "<wfengine.e-7.part-3@corp.example>"
    with pytest.raises(ApplicationError, match=r"part 3 of 4: ApplicationError") as failed:
        notifier.notify(notification, users)
    assert not isinstance(failed.value, PermanentApplicationError)  # retried
    assert "stopped at part 3" in str(failed.value)
    assert [len(e) for _, e, _ in server.messages] == [50, 50]
    server.down = None
    notifier.notify(notification, users)  # the outbox's retry
    ids = [mid for mid, _, _ in server.messages]
    assert ids[2:] == [
        "<wfengine.e-7.part-3@corp.example>",
        "<wfengine.e-7.part-4@corp.example>",
    ]
    assert sorted(a for _, e, _ in server.messages for a in e) == sorted(u.email for u in users)


def test_a_part_refused_for_some_keeps_no_later_part_back_and_the_error_is_bounded() -> None:
    users = _role(1000)
    gone = frozenset(f"user{i}@corp.example" for i in range(0, 1000, 2))  # half refused
    server = _Server(refused=gone)
    with pytest.raises(PermanentApplicationError) as failed:
        _notifier(server).notify(_offered(users), users)
    told = {a for _, e, _ in server.messages for a in e}
    assert told == {u.email for u in users} - gone  # every other part was sent
    text = str(failed.value)
    assert len(text) < 10_000  # (500 refused addresses: some 35 KB before)
    assert "part 1 of 20" in text and "and 17 more parts failed" in text


def test_a_refusal_names_20_addresses_and_counts_the_rest_losing_none() -> None:
    addresses = [f"user{i}@corp.example" for i in range(2000)]
    server = _Server(refused=frozenset(addresses[1:]))
    send = email_agent("mx", sender="wf@corp.example", smtp_class=server.smtp)
    with pytest.raises(RecipientsRefusedError) as failed:
        send(to=addresses, subject="s", body="b", idempotency_key="k")
    text = str(failed.value)
    assert "user20@corp.example" in text and "user21@corp.example" not in text
    assert "and 1979 more" in text and len(text) < 3000
    assert len(failed.value.refused) == 1999 and failed.value.delivered == (addresses[0],)


class _Counted(str):
    """An address counting the comparisons made with it: a membership test against a list
    makes one per element (quadratic over a role), against a set next to none."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        _Counted.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_the_notifier_compares_addresses_linearly_in_the_role() -> None:
    n = 2000
    emails = [_Counted(f"user{i}@corp.example") for i in range(n)]  # (unvalidated: kept)
    users = [OrgUser.model_construct(id=f"u{i}", email=e) for i, e in enumerate(emails)]
    _Counted.compared = 0
    _notifier(_Server(limit=n)).notify(_offered(users), users)
    assert _Counted.compared < 10 * n  # (a list: n * n / 2, 2,000,000)


def test_a_refusal_compares_addresses_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    listed = mail._listed
    monkeypatch.setattr(mail, "_listed", lambda *a: [_Counted(x) for x in listed(*a)])
    n = 2000
    addresses = [f"user{i}@corp.example" for i in range(n)]
    server = _Server(limit=n, refused=frozenset(addresses[-5:]))
    send = email_agent("mx", sender="wf@corp.example", smtp_class=server.smtp)
    _Counted.compared = 0
    with pytest.raises(RecipientsRefusedError):
        send(to=addresses, subject="s", body="b", idempotency_key="k")
    assert _Counted.compared < 10 * n  # (a list of those who took it: n * n / 2)


def test_parts_are_no_larger_than_the_max_recipients_passed_on() -> None:
    server = _Server()
    users = _role(45)
    _notifier(server, per_message=20).notify(_offered(users), users)
    assert [len(e) for _, e, _ in server.messages] == [20, 20, 5]
    server.messages.clear()
    _notifier(server, max_recipients=10).notify(_offered(users), users)
    assert [len(e) for _, e, _ in server.messages] == [10, 10, 10, 10, 5]


@pytest.mark.parametrize("given", [0, -1, 2.5, True, "50"])
def test_a_per_message_that_is_no_whole_number_above_zero_is_refused(given: object) -> None:
    with pytest.raises(ValueError, match=r"^email notifier: per_message must be a whole"):
        _notifier(_Server(), per_message=given)
