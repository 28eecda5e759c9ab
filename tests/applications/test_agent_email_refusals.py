"""The e-mail agent decides retrying by the server's code (4xx temporary, 5xx permanent), and
a message some recipients were refused is a failure, not a quiet success: retried to the
refused ones only when a refusal is temporary, permanent (naming who has it) when all are."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from wfengine.applications.agents import RecipientsRefusedError, email_agent
from wfengine.applications.registry import ApplicationFunc
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


@dataclass
class Mailbox:
    """What the server answers (``answers["RCPT b@x"]``: the replies to each RCPT TO of b@x in
    turn, the last one repeated; 250 when none) and the messages it took."""

    answers: dict[str, list[str]] = field(default_factory=dict)
    #: each message taken: the recipients it was taken for
    taken: list[list[str]] = field(default_factory=list)

    def answer(self, what: str) -> str:
        planned = self.answers.get(what)
        if not planned:
            return "250 ok"
        return planned.pop(0) if len(planned) > 1 else planned[0]


class _Smtp(socketserver.StreamRequestHandler):
    mailbox: Mailbox

    def handle(self) -> None:
        self._say("220 test ESMTP")
        rcpts: list[str] = []
        while line := self.rfile.readline().decode():
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 test")
            elif verb == "MAIL":
                rcpts = []
                self._say(self.mailbox.answer("MAIL"))
            elif verb == "RCPT":
                rcpt = line.split(":", 1)[1].strip().strip("<>")
                said = self.mailbox.answer(f"RCPT {rcpt}")
                if said.startswith("250"):
                    rcpts.append(rcpt)
                self._say(said)
            elif verb == "DATA":
                self._say("354 go on")
                while self.rfile.readline() != b".\r\n":
                    pass
                self.mailbox.taken.append(rcpts)
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 ok")

    def _say(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


@pytest.fixture
def smtp() -> Iterator[tuple[int, Mailbox]]:
    mailbox = Mailbox()
    server = socketserver.ThreadingTCPServer(
        ("127.0.0.1", 0), type("Bound", (_Smtp,), {"mailbox": mailbox})
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    yield server.server_address[1], mailbox
    server.shutdown()
    server.server_close()


def _send(port: int) -> ApplicationFunc:
    return email_agent("127.0.0.1", port, sender="wf@example.org")


@pytest.mark.parametrize(
    "what, answer",
    [
        ("RCPT a@example.org", "450 4.7.1 greylisted, try again later"),
        ("MAIL", "451 4.3.0 temporary local problem"),
    ],
)
def test_a_temporary_answer_is_retried(smtp: tuple[int, Mailbox], what: str, answer: str) -> None:
    port, mailbox = smtp
    mailbox.answers[what] = [answer]
    with pytest.raises(ApplicationError, match=answer.split()[0]) as info:
        _send(port)(to="a@example.org", subject="s", body="b", idempotency_key="k")
    assert not isinstance(info.value, PermanentApplicationError)
    assert mailbox.taken == []


@pytest.mark.parametrize(
    "what, answer",
    [("RCPT a@example.org", "550 5.1.1 no such user"), ("MAIL", "553 5.7.1 sender refused")],
)
def test_a_permanent_answer_is_not(smtp: tuple[int, Mailbox], what: str, answer: str) -> None:
    port, mailbox = smtp
    mailbox.answers[what] = [answer]
    with pytest.raises(PermanentApplicationError, match=answer.split()[0]):
        _send(port)(to="a@example.org", subject="s", body="b", idempotency_key="k")


def test_a_recipient_refused_for_good_fails_the_call_naming_who_has_it(
    smtp: tuple[int, Mailbox],
) -> None:
    port, mailbox = smtp
    mailbox.answers["RCPT b@example.org"] = ["550 5.1.1 no such user"]
    with pytest.raises(RecipientsRefusedError, match=r"b@example\.org: 550") as info:
        _send(port)(to="a@example.org, b@example.org", subject="s", body="b", idempotency_key="k")
    assert info.value.delivered == ("a@example.org",)
    assert list(info.value.refused) == ["b@example.org"]
    assert mailbox.taken == [["a@example.org"]]


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("to", "STRING", initial="'a@example.org, b@example.org'")
    p.application(
        "mail",
        params=[("to", "IN", "STRING"), ("subject", "IN", "STRING"), ("body", "IN", "STRING")],
    )
    p.activity("send", tool="mail", args=["to", "'hi'", "'body'"])
    return pb


def _engine(port: int) -> Engine:
    engine = Engine(clock=VirtualClock())
    engine.applications.sleep = lambda seconds: None
    engine.applications.register("mail", _send(port), retries=3)
    engine.deploy(_package().build())
    return engine


def _attempts(engine: Engine, iid: str) -> int:
    return sum(1 for e in engine.audit(iid) if e.kind == "application.invoked")


def test_a_greylisted_recipient_gets_it_on_a_retry_and_the_others_only_once(
    smtp: tuple[int, Mailbox],
) -> None:
    port, mailbox = smtp
    mailbox.answers["RCPT b@example.org"] = ["450 4.7.1 greylisted", "250 ok"]
    engine = _engine(port)
    iid = engine.start_process("main")
    assert engine.incidents(iid) == []
    assert engine.instance(iid).state.value == "closed.completed"
    assert _attempts(engine, iid) == 2
    assert mailbox.taken == [["a@example.org"], ["b@example.org"]]


def test_a_partly_refused_message_is_an_incident_not_a_quiet_success(
    smtp: tuple[int, Mailbox],
) -> None:
    port, mailbox = smtp
    mailbox.answers["RCPT b@example.org"] = ["550 5.1.1 no such user"]
    engine = _engine(port)
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert "RecipientsRefusedError" in incident.message and "b@example.org: 550" in incident.message
    assert _attempts(engine, iid) == 1  # permanent: a@example.org is not sent it again
    assert mailbox.taken == [["a@example.org"]]
