"""The e-mail agent sends to every address it is given or fails naming the one it cannot
read: a ``to`` with no address (``''``, ``'@'``) was reported as sent to no one, and the
addresses after a ``;`` were dropped without a word (``;`` now separates them as ``,`` does)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.applications.fake_smtp import envelope, recording_agent
from wfengine.applications.registry import ApplicationFunc
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import PermanentApplicationError
from wfengine.runtime.engine import Engine


def _agent() -> tuple[ApplicationFunc, list[Any]]:
    return recording_agent(envelope)


@pytest.mark.parametrize(
    "to, envelope",
    [
        ("ann@example.org; bob@example.org", ["ann@example.org", "bob@example.org"]),
        ("ann@example.org;bob@example.org;", ["ann@example.org", "bob@example.org"]),
        ('"Doe, Ann" <ann@example.org>, bob@example.org', ["ann@example.org", "bob@example.org"]),
        (
            ["ann@example.org", "bob@example.org; cy@example.org"],
            ["ann@example.org", "bob@example.org", "cy@example.org"],
        ),
    ],
)
def test_every_address_given_is_sent_to(to: str | list[str], envelope: list[str]) -> None:
    send, sent = _agent()
    send(to=to, subject="s", body="b")
    assert sent == [envelope]


def test_cc_separated_by_semicolons_is_sent_to_as_well() -> None:
    send, sent = _agent()
    send(to="ann@example.org", cc="bob@example.org; cy@example.org", subject="s", body="b")
    assert sent == [["ann@example.org", "bob@example.org", "cy@example.org"]]


@pytest.mark.parametrize("to", ["", "   ", ";", [], "undisclosed-recipients:;"])
def test_no_recipient_is_a_permanent_failure_not_a_message_sent(to: str | list[str]) -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError, match=r"no recipient: to=.* no e-mail address"):
        send(to=to, subject="s", body="b")
    assert sent == []


@pytest.mark.parametrize(
    "to, part",
    [
        ("@", r"'@'"),
        ("ann@", r"'ann@'"),
        ("@example.org", r"'@example\.org'"),
        ("ann@example.org bob@example.org", r"'ann@example\.org bob@example\.org'"),
        ("ann@example.org, @, bob@example.org", r"'@' is not one e-mail address \(in to="),
    ],
)
def test_an_address_it_cannot_read_is_named_not_dropped(to: str, part: str) -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError, match=rf"to: {part}.*separated by ',' or ';'"):
        send(to=to, subject="s", body="b")
    assert sent == []


def test_an_unreadable_cc_is_named_and_an_empty_one_is_no_cc() -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError, match=r"cc: 'bob@' is not one e-mail address"):
        send(to="ann@example.org", cc="bob@", subject="s", body="b")
    send(to="ann@example.org", cc="  ", subject="s", body="b")
    assert sent == [["ann@example.org"]]


def test_a_line_break_in_an_address_is_still_refused_as_header_injection() -> None:
    send, sent = _agent()
    with pytest.raises(PermanentApplicationError, match=r"cannot build the message"):
        send(to="ann@example.org\r\nBcc: victim@example.org", subject="s", body="b")
    assert sent == []


def _engine(to: str) -> tuple[Engine, str, list[list[str]]]:
    pb = PackageBuilder("p")
    pb.application("mail", params=[("to", "IN", "STRING"), ("body", "IN", "STRING")])
    p = pb.process("proc")
    p.data_field("to", "STRING")
    p.activity("reply", tool="mail", args=["to", "'answer'"])
    engine = Engine()
    send, sent = _agent()
    engine.applications.register("mail", send, retries=0)
    engine.deploy(pb.build())
    return engine, engine.start_process("proc", {"to": to}), sent


def test_an_instance_mailing_no_one_stops_with_an_incident_naming_the_parameter() -> None:
    engine, iid, sent = _engine("@")
    [incident] = engine.incidents(iid)
    assert "to: '@' is not one e-mail address" in incident.message
    kinds = [e.kind for e in engine.audit_events(instance_id=iid)]
    assert "application.returned" not in kinds
    assert engine.instance_summary(iid).state.value == "open.running"
    assert sent == []
