"""The e-mail notifier remembers, per notification, the addresses it has told.

Before, only the e-mail agent remembered who had each part's message, by the part's key (the
last 4,096 keys): a role of 5,000 took 100 keys, so some 41 such notifications waiting on a
retry made it forget, and every retry then sent every part again (50 of them: 247,500 copies).
And parts were cut by position, so a member leaving (or joining) between attempts moved
addresses from part to part: a part already delivered sent a second copy, under another
Message-ID, to an address it had not had. A notification refused in several parts raised an
error without the ``refused`` and ``delivered`` one message's refusal has. Now a retry sends
only to the addresses not told yet, each in the part it was first cut into, and the error
merges every part's refusals and names everyone told."""

from __future__ import annotations

import smtplib
from email.utils import getaddresses
from typing import Any

import pytest

import wfengine.applications.agents.mail as mail
from wfengine.applications.agents.mail import RecipientsDeferredError, RecipientsRefusedError
from wfengine.errors import ApplicationError
from wfengine.worklist.notification import Notification
from wfengine.worklist.notifiers import EmailNotifier
from wfengine.worklist.org_model import OrgUser


class _Server:
    """A fake SMTP server (``smtp`` stands in for ``smtplib.SMTP``): it refuses the addresses
    in ``refused`` with their code, and is lost on the Message-IDs in ``down``."""

    def __init__(self, refused: dict[str, int] | None = None) -> None:
        self.refused = refused or {}
        self.down: set[str] = set()
        self.messages: list[tuple[str, list[str], str]] = []  # Message-ID, envelope, To

    def smtp(self, host: str, port: int, timeout: float | None = None) -> _Connection:
        return _Connection(self)

    def told(self) -> list[str]:
        return [a for _, envelope, _ in self.messages for a in envelope]


class _Connection:
    def __init__(self, server: _Server) -> None:
        self.server = server

    def __enter__(self) -> _Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def send_message(self, message: Any, to_addrs: list[str] | None = None) -> dict[str, Any]:
        server = self.server
        if message["Message-ID"] in server.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        if to_addrs is None:
            to_addrs = [a for _, a in getaddresses([str(message["To"])])]
        refused = {a: (server.refused[a], b"no") for a in to_addrs if a in server.refused}
        took = [a for a in to_addrs if a not in refused]
        if not took:
            raise smtplib.SMTPRecipientsRefused(refused)  # type: ignore[arg-type]
        server.messages.append((message["Message-ID"], took, str(message["To"])))
        return refused


def _role(n: int, start: int = 0) -> list[OrgUser]:
    return [OrgUser(id=f"u{i}", email=f"user{i}@corp.example") for i in range(start, start + n)]


def _offered(key: str, users: list[OrgUser]) -> Notification:
    return Notification(key, "offered", "wi-1", "pi-1", "review", tuple(u.id for u in users))


def _notifier(server: _Server) -> EmailNotifier:
    return EmailNotifier("mx", sender="wf@corp.example", smtp_class=server.smtp)


def _id(key: str, part: int) -> str:
    return f"<wfengine.{key}{'' if part == 1 else f'.part-{part}'}@corp.example>"


def test_more_pending_notifications_than_the_agent_remembers_retry_only_the_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # (the agent's 4,096 keys made 8: five notifications of four parts pass them, as 41 of
    # a 5,000 role's 100 parts pass 4,096)
    monkeypatch.setattr(mail, "REMEMBERED", 8)
    server = _Server()
    notifier, users = _notifier(server), _role(200)
    keys = [f"e-{k}" for k in range(5)]
    server.down = {_id(key, 4) for key in keys}  # (lost at each one's last part)
    for key in keys:
        with pytest.raises(ApplicationError, match=r"part 4 of 4"):
            notifier.notify(_offered(key, users), users)
    server.down.clear()
    server.messages.clear()
    for key in keys:  # the outbox's retries
        notifier.notify(_offered(key, users), users)
    assert [mid for mid, _, _ in server.messages] == [_id(key, 4) for key in keys]
    last_part = [f"user{i}@corp.example" for i in range(150, 200)]
    assert server.told() == last_part * 5


def test_an_organisation_change_between_attempts_tells_nobody_twice() -> None:
    server = _Server()
    notifier, users = _notifier(server), _role(200)  # four parts
    server.down = {_id("e-7", 3)}
    with pytest.raises(ApplicationError, match=r"stopped at part 3"):
        notifier.notify(_offered("e-7", users), users)
    first = server.told()
    server.down.clear()
    server.messages.clear()
    now = users[:10] + users[11:] + _role(2, start=500)  # u10 left, two joined
    notifier.notify(_offered("e-7", now), now)  # the outbox's retry
    again = server.told()
    assert not set(first) & set(again)  # (user50 was told twice: part 1 moved up one)
    assert sorted(first + again) == sorted({u.email for u in now} | set(first))
    # each address in the part (the message, its Message-ID) it was cut into; joiners after
    assert [(mid, len(e)) for mid, e, _ in server.messages] == [
        (_id("e-7", 3), 50),
        (_id("e-7", 4), 50),
        (_id("e-7", 5), 2),
    ]


def test_a_multi_part_error_keeps_every_parts_refused_and_who_has_it() -> None:
    users = _role(120)  # three parts
    gone = {"user3@corp.example": 550, "user70@corp.example": 550}
    server = _Server(refused=gone)
    with pytest.raises(RecipientsRefusedError) as failed:
        _notifier(server).notify(_offered("e-7", users), users)
    assert set(failed.value.refused) == set(gone)
    assert failed.value.delivered == tuple(u.email for u in users if u.email not in gone)
    assert "part 1 of 3" in str(failed.value) and "part 2 of 3" in str(failed.value)

    server = _Server(refused={**gone, "user100@corp.example": 452})  # one for now: retried
    with pytest.raises(RecipientsDeferredError) as deferred:
        _notifier(server).notify(_offered("e-7", users), users)
    assert set(deferred.value.refused) == {*gone, "user100@corp.example"}
    assert len(deferred.value.delivered) == 117


def test_a_role_in_one_message_is_retried_as_before() -> None:
    server = _Server(refused={"user7@corp.example": 452})
    notifier, users = _notifier(server), _role(50)
    with pytest.raises(RecipientsDeferredError, match=r"user7@corp.example: 452 no"):
        notifier.notify(_offered("e-7", users), users)
    server.refused.clear()
    notifier.notify(_offered("e-7", users), users)  # the outbox's retry
    (mid, envelope, to) = server.messages[-1]
    assert (mid, envelope) == (_id("e-7", 1), ["user7@corp.example"])
    assert len(getaddresses([to])) == 50  # (its To: the whole role's, as ever)


def test_a_notification_given_up_for_good_is_forgotten() -> None:
    # the outbox retries no permanent failure: its addresses were kept until 10,000 newer
    # notifications came (a megabyte each for a role of 5,000, one refused for good)
    users = _role(120)
    notifier = _notifier(_Server(refused={"user3@corp.example": 550}))
    with pytest.raises(RecipientsRefusedError):
        notifier.notify(_offered("e-7", users), users)
    assert list(notifier._told.values()) == []
    deferred = _notifier(_Server(refused={"user3@corp.example": 452}))
    with pytest.raises(RecipientsDeferredError):
        deferred.notify(_offered("e-7", users), users)
    assert len(list(deferred._told.values())) == 1  # (retried: who has it is kept)
