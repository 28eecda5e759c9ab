"""A notifier that fails for good (an SMTP server refusing every recipient with a 5xx: the
e-mail notifier raises ``RecipientsRefusedError``, a ``PermanentApplicationError``) fails its
outbox entry at once, recorded and logged as a final failure is; before, the outbox called it
again and again until its attempts ran out (about eight hours of refusals). A transient failure
is still retried, and an outbox handler of the host's own that raises a
``PermanentApplicationError`` is given up on at once too, after the entry's other handlers
were called."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.errors import PermanentApplicationError
from wfengine.runtime.outbox import OutboxRecord, OutboxStatus
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser

ORG = {"users": [{"id": "alice", "email": "alice@example.com", "roles": ["clerk"]}]}


def _engine() -> Engine:
    engine = Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    return engine


class _Refusing:
    """An SMTP server that refuses every recipient for good."""

    def __init__(self) -> None:
        self.refused = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.refused += 1
        return "550 5.1.1 no such mailbox"


@pytest.fixture
def refusing_smtp() -> Iterator[tuple[str, int, _Refusing]]:
    server = _Refusing()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, server
    finally:
        controller.stop()


def _deliver_a_while(engine: Engine, times: int = 6) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    for _ in range(times):
        engine.deliver_outbox()
        clock.advance(timedelta(minutes=5))


def test_a_refused_email_fails_its_entry_at_once(
    refusing_smtp: tuple[str, int, _Refusing], caplog: pytest.LogCaptureFixture
) -> None:
    host, port, server = refusing_smtp
    email = n.notifier("email", {"host": host, "port": port, "sender": "wf@example.com"})
    with _engine() as engine, caplog.at_level(logging.ERROR, "wfengine.outbox"):
        n.subscribe(engine.outbox.handlers, engine.directory, [email])
        engine.start_process("p")
        _deliver_a_while(engine)
        (entry,) = engine.outbox.entries(OutboxStatus.FAILED)
        assert engine.outbox.entries(OutboxStatus.PENDING) == []
    assert server.refused == 1  # asked once, not again for eight hours
    assert entry.attempts == 1
    assert entry.last_error is not None and "RecipientsRefusedError" in entry.last_error
    (logged,) = [r for r in caplog.records if r.name == "wfengine.outbox"]
    assert "for good" in logged.getMessage()
    assert f"engine.outbox.retry([{entry.id}])" in logged.getMessage()


class _Failing:
    def __init__(self, error: Exception) -> None:
        self.error, self.calls = error, 0

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        self.calls += 1
        raise self.error


def test_a_transient_notifier_failure_is_still_retried() -> None:
    failing = _Failing(ConnectionError("the gateway is down"))
    with _engine() as engine:
        n.subscribe(engine.outbox.handlers, engine.directory, [failing])
        engine.start_process("p")
        _deliver_a_while(engine, times=3)
        (entry,) = engine.outbox.entries(OutboxStatus.PENDING)
    assert failing.calls == 3
    assert entry.attempts == 3


def test_one_notifier_failing_for_good_and_one_transiently_is_retried() -> None:
    """Only when every failure is permanent is the entry given up on: the transient one may
    still succeed, and retrying it is what it needs."""
    refused = _Failing(PermanentApplicationError("refused"))
    down = _Failing(ConnectionError("down"))
    with _engine() as engine:
        n.subscribe(engine.outbox.handlers, engine.directory, [refused, down])
        engine.start_process("p")
        _deliver_a_while(engine, times=2)
        assert engine.outbox.entries(OutboxStatus.FAILED) == []
    assert down.calls == 2


def test_a_host_handler_failing_for_good_is_given_up_on_after_the_others() -> None:
    calls: list[str] = []

    def refuses(record: OutboxRecord) -> None:
        calls.append("refuses")
        raise PermanentApplicationError("the receiving side refused it for good")

    def takes(record: OutboxRecord) -> None:
        calls.append("takes")

    with _engine() as engine:
        engine.outbox.subscribe(refuses, kinds=["work_item.offered"])
        engine.outbox.subscribe(takes, kinds=["work_item.offered"])
        engine.start_process("p")
        _deliver_a_while(engine, times=3)
        (entry,) = engine.outbox.entries(OutboxStatus.FAILED)
    assert calls == ["refuses", "takes"]
    assert entry.last_error is not None and "refuses: PermanentApplicationError" in entry.last_error
