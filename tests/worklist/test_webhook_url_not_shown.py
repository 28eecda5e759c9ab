"""A webhook's URL may hold its secret (a password in the userinfo, a token in the query, a
Slack-style token in the path); its failures and ``repr`` name it ``scheme://host[:port]``
alone. Before, the whole URL went into the outbox entry's stored ``last_error``, every
``wfengine.outbox`` warning and the dispatcher's ``repr``."""

from __future__ import annotations

import logging

import httpx
import pytest

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.errors import ApplicationError
from wfengine.worklist import notifiers as n

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}]}
#: nothing listens on port 1: the receiver cannot be reached
URL = "http://hookuser:S3cretPass@127.0.0.1:1/services/T00/B00/PATHTOKEN?token=QUERYTOKEN#frag"
SECRETS = ("hookuser", "S3cretPass", "PATHTOKEN", "QUERYTOKEN", "services", "frag")


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_an_unreachable_webhook_names_its_host_only(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="wfengine")
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as engine:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        engine.deploy(pb.build())
        hook = n.notifier("webhook", {"url": URL, "secret": "k", "timeout": 2})
        dispatcher = n.subscribe(engine.outbox.handlers, None, [hook])
        engine.start_process("p")
        engine.deliver_outbox()
        (entry,) = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
    error = entry.last_error or ""
    assert "webhook http://127.0.0.1:1: ApplicationError: webhook http://127.0.0.1:1: " in error
    assert _leaks(error) == []
    assert "webhook http://127.0.0.1:1" in caplog.text and _leaks(caplog.text) == []
    assert repr(dispatcher) == "notifications (webhook http://127.0.0.1:1)"
    assert hook.url == URL  # (still posted to as given)


def test_a_message_quoting_the_url_does_not_show_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(client: httpx.Client, request: httpx.Request, **kwargs: object) -> None:
        raise httpx.ConnectError(f"cannot reach {request.url}")

    monkeypatch.setattr(httpx.Client, "send", refuse)
    hook = n.WebhookNotifier(URL, secret="k")
    note = n.Notification("k", "offered", "wi-1", "pi-1", "quote", ("alice",))
    with pytest.raises(ApplicationError) as raised:
        hook.notify(note, [])
    assert str(raised.value) == (
        "webhook http://127.0.0.1:1: ConnectError: cannot reach http://127.0.0.1:1"
    )
