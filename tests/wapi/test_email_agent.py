"""The e-mail agent against a small SMTP server on 127.0.0.1, and an injected SMTP class."""

from __future__ import annotations

import smtplib
import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ApplicationError, PermanentApplicationError
from wfengine.runtime.engine import Engine
from wfengine.wapi.agents import email_agent, email_agent_factory


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    inbox: list[tuple[str, list[str], bytes]]

    def handle(self) -> None:
        self._say(b"220 test ESMTP")
        sender, rcpts = "", []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self._say(b"250 test")
            elif verb == b"MAIL":
                sender, rcpts = line.decode().split(":", 1)[1].strip(), []
                self._say(b"250 ok")
            elif verb == b"RCPT":
                rcpt = line.decode().split(":", 1)[1].strip()
                if "nobody" in rcpt:
                    self._say(b"550 no such user")
                else:
                    rcpts.append(rcpt)
                    self._say(b"250 ok")
            elif verb == b"DATA":
                self._say(b"354 go on")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.inbox.append((sender, rcpts, data))
                self._say(b"250 queued")
            elif verb == b"QUIT":
                self._say(b"221 bye")
                return
            else:
                self._say(b"250 ok")

    def _say(self, text: bytes) -> None:
        self.wfile.write(text + b"\r\n")


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[tuple[str, list[str], bytes]]]]:
    inbox: list[tuple[str, list[str], bytes]] = []
    handler = type("Bound", (_Smtp,), {"inbox": inbox})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    yield server.server_address[1], inbox
    server.shutdown()
    server.server_close()


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("who", "STRING", initial="'ada@example.org'")
    p.application(
        "notify",
        params=[("to", "IN", "STRING"), ("subject", "IN", "STRING"), ("body", "IN", "STRING")],
        extended={"wfengine:agent": "email"},
    )
    p.activity("mail", tool="notify", args=["who", "'Approved'", "'Your request is approved.'"])
    return pb


def test_sends_through_a_real_smtp_server_with_a_stable_message_id(
    engine: Engine, smtp_server: tuple[int, list[Any]]
) -> None:
    port, inbox = smtp_server
    engine.applications.allow_agent(
        "email", email_agent_factory("127.0.0.1", port, sender="wf@example.org")
    )
    iid = run(engine, _package())
    assert engine.incidents(iid) == []
    [(sender, rcpts, data)] = inbox
    assert "wf@example.org" in sender and rcpts == ["<ada@example.org>"]
    message = message_from_bytes(data)
    assert message["Subject"] == "Approved"
    assert "approved" in message.get_payload()
    assert message["Message-ID"].startswith(f"<wfengine.{iid}")


def test_refused_recipient_is_permanent(smtp_server: tuple[int, list[Any]]) -> None:
    port, inbox = smtp_server
    send = email_agent("127.0.0.1", port, sender="wf@example.org")
    with pytest.raises(PermanentApplicationError, match="refused"):
        send(to="nobody@example.org", subject="x", body="y")
    assert inbox == []


def test_header_injection_is_refused() -> None:
    send = email_agent("unused", sender="wf@example.org", smtp_class=_never)
    with pytest.raises(PermanentApplicationError, match="cannot build"):
        send(to="a@example.org", subject="hi\r\nBcc: victim@example.org")


def _never(*args: Any, **kwargs: Any) -> smtplib.SMTP:
    raise AssertionError("no connection expected")


def test_temporary_smtp_failure_is_retryable() -> None:
    class Busy:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            pass

        def __enter__(self) -> Busy:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def send_message(self, message: Any) -> None:
            raise smtplib.SMTPDataError(451, b"try again later")

    send = email_agent("mx", sender="wf@example.org", smtp_class=Busy)  # type: ignore[arg-type]
    with pytest.raises(ApplicationError, match="451") as info:
        send(to=["a@example.org", "b@example.org"], subject="s", body="b", idempotency_key="k")
    assert not isinstance(info.value, PermanentApplicationError)
