"""The server's answer to QUIT, after it took the message, decides nothing: smtplib raises for
one other than 221, and the e-mail agent made that a failure of a delivered message (a QUIT 421
was retried, one more copy each attempt, then the failure route; a QUIT 554 was a permanent
failure). Nor does it replace the answer that did decide a call."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from wfengine.applications.agents import email_agent
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import PermanentApplicationError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


@dataclass
class Server:
    """What the server answers to QUIT and to DATA's end, and the messages it took."""

    quit: str = "221 bye"
    data: str = "250 queued"
    taken: list[bytes] = field(default_factory=list)


class _Smtp(socketserver.StreamRequestHandler):
    server_state: Server

    def handle(self) -> None:
        self._say("220 test ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self._say("354 go on")
                message = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    message += chunk
                said = self.server_state.data
                if said.startswith("250"):
                    self.server_state.taken.append(message)
                self._say(said)
            elif verb == b"QUIT":
                self._say(self.server_state.quit)
                return
            else:
                self._say("250 ok")

    def _say(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


@pytest.fixture
def smtp() -> Iterator[tuple[int, Server]]:
    state = Server()
    handler = type("Bound", (_Smtp,), {"server_state": state})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    yield server.server_address[1], state
    server.shutdown()
    server.server_close()


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("route", "STRING", initial="'none'")
    p.application("mail", params=[("to", "IN", "STRING")])
    p.activity("send", tool="mail", args=["'ann@example.org'"])
    p.activity("ok", script="route = 'ok'")
    p.activity("failed", script="route = 'failed'")
    p.transition("send", "ok")
    p.transition("send", "failed", default_exception=True)
    return pb


@pytest.mark.parametrize("quit", ["421 4.3.2 shutting down", "554 5.0.0 whatever"])
def test_a_taken_message_is_sent_once_whatever_quit_is_answered(
    smtp: tuple[int, Server], quit: str
) -> None:
    port, state = smtp
    state.quit = quit
    engine = Engine(clock=VirtualClock())
    engine.applications.sleep = lambda seconds: None
    engine.applications.register(
        "mail", email_agent("127.0.0.1", port, sender="wf@example.org"), retries=2
    )
    engine.deploy(_package().build())
    iid = engine.start_process("main")
    assert [e for e in engine.audit(iid) if e.kind == "application.failed"] == []
    assert engine.instance(iid).data["route"] == "ok"
    assert len(state.taken) == 1


def test_a_refusal_stays_the_outcome_when_quit_is_answered_badly(
    smtp: tuple[int, Server],
) -> None:
    port, state = smtp
    state.data, state.quit = "554 5.7.1 message refused", "421 4.3.2 shutting down"
    send = email_agent("127.0.0.1", port, sender="wf@example.org")
    with pytest.raises(PermanentApplicationError, match="554"):
        send(to="ann@example.org", subject="s", body="b", idempotency_key="k")
    assert state.taken == []
