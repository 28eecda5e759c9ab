"""One organisation user whose e-mail address the e-mail agent cannot read ("@", "bob at
example") no longer keeps everyone else from being told: the e-mail notifier sends the
message to the users whose address reads and logs the others on ``wfengine.notifications``,
as it logs recipients not in the organisation. Before, the agent refused the whole message for
good (a PermanentApplicationError) and the outbox entry failed: nobody heard of the work."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.runtime.outbox import OutboxStatus
from wfengine.worklist import notifiers as n


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[str, int, _Mailbox]]:
    mailbox = _Mailbox()
    with socket.socket() as probe:  # a free port (the controller checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, mailbox
    finally:
        controller.stop()


def _engine(*emails: str) -> Engine:
    users = [{"id": "ann", "email": "ann@example.com", "roles": ["clerk"]}]
    users += [{"id": f"u{i}", "email": email, "roles": ["clerk"]} for i, email in enumerate(emails)]
    organisation = Organisation.from_data({"users": users})
    engine = Engine(clock=VirtualClock(), directory=organisation)
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    return engine


def _offer(
    smtp: tuple[str, int, _Mailbox], caplog: pytest.LogCaptureFixture, *emails: str
) -> list[str]:
    """Offer work to ann and users with ``emails``, deliver the outbox; the log lines."""
    host, port, _ = smtp
    email = n.notifier("email", {"host": host, "port": port, "sender": "wf@example.com"})
    with _engine(*emails) as engine, caplog.at_level(logging.WARNING):
        n.subscribe(engine.outbox.handlers, engine.directory, [email])
        engine.start_process("p")
        engine.deliver_outbox()
        assert engine.outbox.entries(OutboxStatus.FAILED) == []
        assert engine.outbox.entries(OutboxStatus.PENDING) == []
    return [r.getMessage() for r in caplog.records if r.name == "wfengine.notifications"]


@pytest.mark.parametrize("bad", ["@", "bob at example", "bob@", "bob@example.com\nBcc: x@y.z"])
def test_the_others_are_told_and_the_unreadable_address_logged(
    smtp: tuple[str, int, _Mailbox], caplog: pytest.LogCaptureFixture, bad: str
) -> None:
    logged = _offer(smtp, caplog, bad, "cy@example.com")
    [message] = smtp[2].messages
    assert sorted(message.rcpt_tos) == ["ann@example.com", "cy@example.com"]
    [line] = logged
    assert "u0" in line and repr(bad) in line
    assert "not one e-mail address" in line and "not told by e-mail" in line
    assert "u1" not in line and "ann" not in line


def test_nobody_with_a_readable_address_sends_nothing_and_fails_nothing(
    smtp: tuple[str, int, _Mailbox], caplog: pytest.LogCaptureFixture
) -> None:
    host, port, mailbox = smtp
    email = n.notifier("email", {"host": host, "port": port, "sender": "wf@example.com"})
    users = [{"id": "bob", "email": "@", "roles": ["clerk"]}, {"id": "cy", "roles": ["clerk"]}]
    engine = Engine(clock=VirtualClock(), directory=Organisation.from_data({"users": users}))
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    with engine, caplog.at_level(logging.WARNING):
        n.subscribe(engine.outbox.handlers, engine.directory, [email])
        engine.start_process("p")
        engine.deliver_outbox()
        assert engine.outbox.entries(OutboxStatus.FAILED) == []
        assert engine.outbox.entries(OutboxStatus.PENDING) == []
    assert mailbox.messages == []  # as when nobody has an address
    [line] = [r.getMessage() for r in caplog.records if r.name == "wfengine.notifications"]
    assert "bob" in line and "'@'" in line and "not told by e-mail" in line
