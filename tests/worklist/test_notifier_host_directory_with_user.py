"""A host's own directory that has ``user(user_id)`` (the person, with their addresses), as an
Organisation does, gave notifiers their recipients when a callable organisation returned it,
until c6f82f3 required the callable's result to be an Organisation: every delivery then failed
with a TypeError until the outbox gave the entry up; passed to ``subscribe`` directly it was
refused as "a host's own directory gives no addresses", untrue of one with ``user``. Any
object with ``user(user_id)`` is taken now, directly and as a callable's result; one without
it is refused saying what is needed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import Engine, Organisation, PackageBuilder, StaticDirectory
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser

ORG = {"users": [{"id": "ann", "email": "ann@example.com", "roles": ["clerk"]}]}


class _HostDirectory:
    """A host's directory: members/knows for the engine, user() giving the addresses."""

    def __init__(self) -> None:
        self._org = Organisation.from_data(ORG)

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann",)

    def knows(self, user_id: str) -> bool:
        return user_id == "ann"

    def user(self, user_id: str) -> OrgUser | None:
        return self._org.user(user_id)


class _NoAddresses:
    """A host's directory with members/knows alone."""

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        return ("ann",)

    def knows(self, user_id: str) -> bool:
        return user_id == "ann"


class _Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, list[str | None]]] = []

    def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        self.seen.append((notification.event, [u.email for u in users]))


def _offered(organisation: object) -> tuple[Engine, _Recorder]:
    """An engine resolving by a plain directory (no addresses), its one offer delivered to
    a dispatcher given ``organisation``."""
    engine = Engine(directory=StaticDirectory({"clerk": ["ann"]}))
    pb = PackageBuilder("desk")
    pb.participant("clerk", type="ROLE")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    recorder = _Recorder()
    n.subscribe(engine.outbox.handlers, organisation, [recorder])  # type: ignore[arg-type]
    engine.start_process("ticket")
    engine.deliver_outbox()
    return engine, recorder


@pytest.mark.parametrize("given", [lambda h: lambda: h, lambda h: h], ids=["callable", "direct"])
def test_a_host_directory_with_user_gives_the_addresses(
    given: Callable[[_HostDirectory], object],
) -> None:
    engine, recorder = _offered(given(_HostDirectory()))
    with engine:
        assert recorder.seen == [("offered", ["ann@example.com"])]
        assert all(r.last_error is None for r in engine.outbox.entries())


def test_one_without_user_is_refused_saying_what_is_needed() -> None:
    with pytest.raises(TypeError, match=r"user\(user_id\) gives the person.*e-mail and phone"):
        n.NotificationDispatcher(_NoAddresses(), [_Recorder()])  # type: ignore[arg-type]


def test_a_callable_returning_one_without_user_fails_its_delivery_saying_so() -> None:
    engine, recorder = _offered(lambda: _NoAddresses())
    with engine:
        assert recorder.seen == []
        errors = [r.last_error for r in engine.outbox.entries() if r.last_error]
        assert errors
        assert all("returned _NoAddresses, which has no user(user_id) method" in e for e in errors)
