"""Notifiers fed by the outbox: e-mail to a real local SMTP server (aiosmtpd), a signed
webhook to a local HTTP server, SMS lines in a file; a failing notifier is retried with the
same key and each notification arrives once."""

from __future__ import annotations

import hmac
import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiosmtpd.controller import Controller

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser

ORG = {
    "users": [
        {"id": "alice", "email": "alice@example.com", "phone": "+15550101", "roles": ["clerk"]},
        {"id": "bob", "email": "bob@example.com", "roles": ["clerk"]},
        {"id": "carol", "phone": "+15550103", "roles": ["clerk"]},
    ]
}


def _engine(url: str | None = None) -> Engine:
    engine = Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG))
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    return engine


class _Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[n.Notification, list[str]]] = []

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        self.seen.append((notification, [u.id for u in users]))


def test_who_hears_of_what(tmp_path: Path) -> None:
    recorder = _Recorder()
    with _engine(f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        n.subscribe(engine.outbox.handlers, engine.directory, [recorder])  # type: ignore[arg-type]
        iid = engine.start_process("p")
        (item,) = engine.work_items(iid)
        engine.claim_work_item(item.id, "bob")
        engine.complete_work_item(item.id, user="bob")
        engine.deliver_outbox()
    seen = [(x.event, users) for x, users in recorder.seen]
    assert seen == [
        ("offered", ["alice", "bob", "carol"]),
        ("allocated", ["bob"]),
        ("completed", ["alice", "bob", "carol"]),
    ]
    assert len({x.key for x, _ in recorder.seen}) == 3
    assert recorder.seen[0][0].subject == f"work item {item.id} (quote) offered"


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


class _Flaky:
    """Fails its first ``failures`` calls, then passes them on."""

    def __init__(self, inner: n.Notifier, failures: int) -> None:
        self.inner, self.failures, self.calls = inner, failures, 0

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("the gateway is down")
        self.inner.notify(notification, users)


def test_email_arrives_once_after_failures(smtp: tuple[str, int, _Mailbox]) -> None:
    host, port, mailbox = smtp
    email = n.notifier("email", {"host": host, "port": port, "sender": "wf@example.com"})
    flaky = _Flaky(email, failures=2)
    with _engine() as engine:
        n.subscribe(engine.outbox.handlers, engine.directory, [flaky])  # type: ignore[arg-type]
        engine.start_process("p")
        clock = engine.clock
        assert isinstance(clock, VirtualClock)
        for _ in range(6):  # the first two deliveries fail; back-off, then the third passes
            engine.deliver_outbox()
            clock.advance(timedelta(minutes=1))
    assert flaky.calls == 3
    [message] = mailbox.messages
    assert sorted(message.rcpt_tos) == ["alice@example.com", "bob@example.com"]  # carol: none
    text = message.content.decode()
    assert "Subject: work item wi-1 (quote) offered" in text
    assert "Message-ID: <wfengine." in text


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_webhook_is_signed_and_keyed() -> None:
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        hook = n.notifier("webhook", {"url": url, "secret": "s3cret"})
        with _engine() as engine:
            n.subscribe(engine.outbox.handlers, engine.directory, [hook])  # type: ignore[arg-type]
            engine.start_process("p")
            engine.deliver_outbox()
            [entry] = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
    finally:
        server.shutdown()
        server.server_close()
    [(headers, body)] = _Hook.received
    assert headers["X-Wfengine-Key"] == entry.key
    expected = "sha256=" + hmac.new(b"s3cret", body, "sha256").hexdigest()
    assert hmac.compare_digest(headers["X-Wfengine-Signature"], expected)
    sent = json.loads(body)
    assert sent["event"] == "offered" and sent["recipients"] == ["alice", "bob", "carol"]


def test_a_webhook_that_answers_an_error_fails_the_delivery() -> None:
    hook = n.WebhookNotifier("http://127.0.0.1:1/nowhere", secret="x", timeout=2)
    note = n.Notification("k", "offered", "wi-1", "pi-1", "quote", ("alice",))
    with pytest.raises(n.ApplicationError, match="webhook"):
        hook.notify(note, [])


def test_sms_lines_for_those_with_a_phone(tmp_path: Path) -> None:
    spool = tmp_path / "sms.jsonl"
    sms = n.notifier("sms-file", {"path": spool})
    with _engine() as engine:
        n.subscribe(engine.outbox.handlers, engine.directory, [sms])  # type: ignore[arg-type]
        engine.start_process("p")
        engine.deliver_outbox()
    lines = [json.loads(x) for x in spool.read_text().splitlines()]
    assert [x["phone"] for x in lines] == ["+15550101", "+15550103"]
    assert [x["key"].rpartition("/")[2] for x in lines] == ["alice", "carol"]  # each its own


def test_plug_ins_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    class _EntryPoint:
        name = "pager"

        def load(self) -> Any:
            return lambda **kw: ("pager", kw)

    monkeypatch.setattr(n, "entry_points", lambda group: [_EntryPoint()])
    assert n.notifier("pager", {"level": 2}) == ("pager", {"level": 2})
    with pytest.raises(KeyError, match="no notifier 'fax' \\(known: email, pager, sms-file"):
        n.notifier("fax")


def test_a_failing_notifier_never_undoes_or_blocks_the_work() -> None:
    broken = _Flaky(_Recorder(), failures=10**9)
    with _engine() as engine:
        n.subscribe(engine.outbox.handlers, engine.directory, [broken])  # type: ignore[arg-type]
        iid = engine.start_process("p")
        engine.deliver_outbox()  # fails: the entry waits for its next attempt
        (item,) = engine.work_items(iid)
        engine.complete_work_item(item.id, user="alice")  # work goes on
        assert engine.trace(iid) == ["quote"]
        pending = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
        assert pending[0].status.value == "pending" and pending[0].attempts == 1
        assert "the gateway is down" in (pending[0].last_error or "")


def test_work_sent_back_tells_the_earlier_performer_why(tmp_path: Path) -> None:
    recorder = _Recorder()
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as engine:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.activity("draft", performer="clerk").activity("check", performer="clerk")
        p.transition("draft", "check")
        engine.deploy(pb.build())
        n.subscribe(engine.outbox.handlers, engine.directory, [recorder])  # type: ignore[arg-type]
        iid = engine.start_process("p")
        (draft,) = engine.work_items(iid)
        engine.complete_work_item(draft.id, user="bob")
        (check,) = engine.work_items(iid)
        engine.claim_work_item(check.id, "carol")
        engine.deliver_outbox()
        recorder.seen.clear()
        engine.send_back_work_item(check.id, "carol", "draft", "the amount is missing")
        engine.deliver_outbox()
        (again,) = engine.work_items(iid)
        [entry] = [e for e in engine.outbox.entries() if e.kind == "work_item.sent_back"]
    assert entry.payload["sent_by"] == "carol" and entry.payload["from_activity"] == "check"
    # the withdrawn item's people hear it is withdrawn; bob hears once, that it came back, why
    seen = [(x.event, users, x.work_item_id) for x, users in recorder.seen]
    assert seen == [
        ("withdrawn", ["alice", "bob", "carol"], check.id),
        ("sent back", ["bob"], again.id),
    ]
    assert recorder.seen[1][0].text.endswith("was sent back. Reason: the amount is missing")


def test_a_failing_notifier_neither_blocks_nor_repeats_the_others(tmp_path: Path) -> None:
    spool = tmp_path / "sms.jsonl"
    down = n.WebhookNotifier("http://127.0.0.1:1/hook", secret="s", timeout=1)
    for order in (
        [down, n.notifier("sms-file", {"path": spool})],
        [n.notifier("sms-file", {"path": spool}), down],
    ):
        spool.unlink(missing_ok=True)
        with _engine() as engine:
            n.subscribe(engine.outbox.handlers, engine.directory, order)  # type: ignore[arg-type]
            engine.start_process("p")
            clock = engine.clock
            assert isinstance(clock, VirtualClock)
            for _ in range(25):  # the webhook fails every retry until the entry is given up
                engine.deliver_outbox()
                clock.advance(timedelta(hours=2))
            [entry] = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
        # the SMS went out once, on the first attempt, whichever notifier came first
        keys = [json.loads(x)["key"] for x in spool.read_text().splitlines()]
        assert keys == [f"{entry.key}/alice", f"{entry.key}/carol"]
        assert entry.status.value == "failed"
        assert "webhook http://127.0.0.1:1: " in (entry.last_error or "")
        assert "object at 0x" not in (entry.last_error or "")


def test_a_notifier_that_recovers_gets_the_entry_and_the_others_only_once() -> None:
    steady, behind = _Recorder(), _Recorder()
    flaky = _Flaky(behind, failures=2)
    with _engine() as engine:
        handlers = [steady, flaky]
        n.subscribe(engine.outbox.handlers, engine.directory, handlers)  # type: ignore[arg-type]
        engine.start_process("p")
        clock = engine.clock
        assert isinstance(clock, VirtualClock)
        for _ in range(5):
            engine.deliver_outbox()
            clock.advance(timedelta(minutes=1))
        [entry] = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
    assert entry.status.value == "delivered"
    assert flaky.calls == 3
    assert [x.key for x, _ in steady.seen] == [entry.key]
    assert [x.key for x, _ in behind.seen] == [entry.key]
