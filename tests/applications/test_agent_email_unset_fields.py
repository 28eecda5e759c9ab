"""An e-mail agent's ``to``, ``cc`` or ``body`` given None (a STRING field with no value) is
no text, as an unset ``subject`` already was: a message for its ``cc`` only is sent, a message
with no address in either is the permanent "no recipient" error, an unset body is empty.

Before, ``to`` None failed with a raw ``TypeError: can only join an iterable`` and ``body``
None with ``KeyError: 'builtins.NoneType'``, both retried as if temporary, and a message for
its ``cc`` was never sent.
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.applications.agents import email_agent
from wfengine.applications.registry import ApplicationFunc
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import PermanentApplicationError
from wfengine.runtime.engine import Engine


class _Recorder:
    """Stands in for ``smtplib.SMTP``: records each message it is given."""

    sent: list[Any]

    def __init__(self, host: str, port: int, timeout: float | None = None) -> None:
        pass

    def __enter__(self) -> _Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def send_message(self, message: Any, to_addrs: list[str] | None = None) -> dict[str, Any]:
        self.sent.append(message)
        return {}


def _agent() -> tuple[ApplicationFunc, list[Any]]:
    sent: list[Any] = []
    smtp = type("Smtp", (_Recorder,), {"sent": sent})
    return email_agent("mx", sender="wf@example.org", smtp_class=smtp), sent  # type: ignore[arg-type]


def test_a_message_with_to_unset_is_sent_to_its_cc() -> None:
    send, sent = _agent()
    send(to=None, cc="a@x.org", subject="s", body="b")
    [message] = sent
    assert message["Cc"] == "a@x.org"
    assert message["To"] is None


def test_to_and_cc_unset_is_the_permanent_no_recipient_error() -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError, match=r"no recipient: to=None .* to or cc"):
        send(to=None, cc=None, subject="s", body="b")
    assert sent == []


def test_an_unset_body_and_subject_send_an_empty_message() -> None:
    send, sent = _agent()
    send(to="a@x.org", subject=None, body=None)
    [message] = sent
    assert message["Subject"] == ""
    assert message.get_content().strip() == ""


def test_an_engine_sends_a_cc_only_message_from_unset_fields_once() -> None:
    """Through the engine: a STRING field with no value bound to ``to`` and ``body``."""
    b = PackageBuilder("pk")
    params = [(n, "IN", "STRING") for n in ("to", "cc", "subject", "body")]
    b.application("mail", params=params)
    p = b.process("p")
    for name in ("t", "c", "s", "b"):
        p.data_field(name, "STRING")
    p.start("start")
    p.activity("send", tool="mail", args=["t", "c", "s", "b"])
    p.end("end")
    p.sequence("start", "send", "end")
    engine = Engine()
    send, sent = _agent()
    engine.applications.register("mail", send, retries=2, backoff=0)
    engine.deploy(b.build())
    iid = engine.start_process("p", {"c": "a@x.org", "s": "hi"})
    assert engine.instance(iid).state.value == "closed.completed"
    assert [m["Cc"] for m in sent] == ["a@x.org"]
