"""A host's own directory as README describes it: ``members`` answering a list of user ids
(not a tuple) and ``user(user_id)`` giving the host's own person object (not an ``OrgUser``)
works wherever the engine reads them: the offer to a declared participant and to a
performer no participant declares (``members(id, None)``), the worklist, a claim, and the
notifiers, which are given the host's person objects.

Why: the ``Directory`` protocol typed ``members`` as returning a tuple and ``People.user`` an
``OrgUser``; both are now what README says (``Sequence[str]``, :class:`wfengine.Person`),
and this pins that the engine never relied on more (the type check itself is
``tests/test_host_typing.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from wfengine import Engine, Notification, PackageBuilder, Person, subscribe


@dataclass
class _Staff:
    """The host's person: a plain (unhashable) dataclass, with a field notifiers never read."""

    id: str
    name: str
    email: str | None = None
    phone: str | None = None


class _HostDirectory:
    def members(self, participant_id: str, participant: object = None) -> list[str]:
        return {"clerk": ["ann", "bob"], "boss": ["bob"]}.get(participant_id, [])

    def user(self, user_id: str) -> _Staff | None:
        if user_id not in ("ann", "bob"):
            return None
        return _Staff(user_id, user_id.title(), email=f"{user_id}@example.com")


class _Recorder:
    def __init__(self) -> None:
        self.told: list[tuple[str, list[Person]]] = []

    def notify(self, notification: Notification, users: list[Person]) -> None:
        self.told.append((notification.event, users))


def test_a_directory_answering_lists_and_its_own_people_serves_offers_and_notifiers() -> None:
    directory = _HostDirectory()
    engine = Engine(directory=directory)
    recorder = _Recorder()
    subscribe(engine.outbox.handlers, directory, [recorder])
    pb = PackageBuilder("desk")
    pb.participant("clerk", type="ROLE")
    p = pb.process("ticket")
    p.start("s")
    p.activity("answer", performer="clerk")
    p.activity("approve", performer="boss")  # declared by no participant: members(id, None)
    p.end("e")
    p.sequence("s", "answer", "approve", "e")
    engine.deploy(pb.build())
    iid = engine.start_process("ticket")
    engine.deliver_outbox()
    (item,) = engine.work_items(iid)
    assert item.assignees == ("ann", "bob")
    assert [w.id for w in engine.work_items_of("ann")] == [item.id]
    assert recorder.told[0][0] == "offered"
    assert [(type(u), u.email) for u in recorder.told[0][1]] == [
        (_Staff, "ann@example.com"),
        (_Staff, "bob@example.com"),
    ]
    engine.claim_work_item(item.id, "ann")
    engine.complete_work_item(item.id, user="ann")
    (approval,) = [w for w in engine.work_items(iid) if w.activity_id == "approve"]
    assert approval.assignees == ("bob",)
