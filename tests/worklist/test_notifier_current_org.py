"""Notifications reach everyone work is offered to, by the organisation current when they are
delivered: after ``engine.directory = new_organisation`` and a re-offer, the people the new
one added are told (the dispatcher looked them up in the organisation it was subscribed with,
and a recipient it did not know was dropped without a word)."""

from __future__ import annotations

import logging

import pytest

from wfengine import Engine, Organisation, PackageBuilder, StaticDirectory
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser

ANN = {"id": "ann", "email": "ann@example.com", "roles": ["clerk"]}
BEN = {"id": "ben", "email": "ben@example.com", "roles": ["clerk"]}


def _org(*users: dict[str, object]) -> Organisation:
    return Organisation.from_data({"users": list(users)})


class _Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, tuple[str, ...], list[str]]] = []

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        self.seen.append((notification.event, notification.recipients, [u.id for u in users]))


def _desk(directory: object) -> Engine:
    engine = Engine(directory=directory)  # type: ignore[arg-type]
    pb = PackageBuilder("desk")
    pb.participant("clerk", type="ROLE")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    return engine


def test_a_user_the_new_organisation_adds_is_told_of_the_work_offered_to_them() -> None:
    first = _org(ANN)
    engine = _desk(first)
    recorder = _Recorder()
    n.subscribe(engine.outbox.handlers, first, [recorder])
    engine.start_process("ticket")
    engine.deliver_outbox()
    engine.directory = _org(ANN, BEN)  # ben joins the clerks
    engine.reoffer_work()
    engine.deliver_outbox()
    assert recorder.seen[-1] == ("offered", ("ann", "ben"), ["ann", "ben"])


def test_without_an_organisation_of_its_own_the_dispatcher_uses_the_engines() -> None:
    engine = _desk(_org(ANN))
    recorder = _Recorder()
    n.subscribe(engine.outbox.handlers, None, [recorder])  # as an --apps module may
    engine.start_process("ticket")
    engine.deliver_outbox()
    assert recorder.seen == [("offered", ("ann",), ["ann"])]


def test_a_callable_organisation_is_asked_at_delivery() -> None:
    # the engine resolves by a plain directory (no addresses): the callable gives them
    engine = _desk(StaticDirectory({"clerk": ["ann", "ben"]}))
    current = [_org(ANN)]
    recorder = _Recorder()
    n.subscribe(engine.outbox.handlers, lambda: current[0], [recorder])
    engine.start_process("ticket")
    current[0] = _org(ANN, BEN)
    engine.deliver_outbox()
    assert recorder.seen == [("offered", ("ann", "ben"), ["ann", "ben"])]


def test_a_recipient_known_nowhere_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    engine = _desk(StaticDirectory({"clerk": ["ann", "zoe"]}))
    recorder = _Recorder()
    n.subscribe(engine.outbox.handlers, _org(ANN), [recorder])
    engine.start_process("ticket")
    with caplog.at_level(logging.WARNING, logger="wfengine.notifications"):
        engine.deliver_outbox()
    assert recorder.seen == [("offered", ("ann", "zoe"), ["ann"])]
    assert "zoe not in the organisation" in caplog.text
