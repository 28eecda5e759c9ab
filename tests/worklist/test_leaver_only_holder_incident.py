"""Late work whose holder left, when the holder was the only one it was offered to: the
incident read "(those who answer for it, no one (its holder 'alice' left: reoffer_work()
offers it anew), have no supervisor who may have it)", blaming supervisors no one has. Now it
says the holder left and nobody else is offered it, and how to offer it anew."""

from __future__ import annotations

from datetime import timedelta

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock

ORG = {
    "users": [
        {"id": "alice", "roles": ["clerk"], "units": ["desk"]},
        {"id": "sue", "units": ["hq"]},
    ],
    "units": [{"id": "hq", "supervisor": "sue"}, {"id": "desk", "parent": "hq"}],
}


def test_the_incident_says_the_holder_left_and_nobody_else_is_offered_it() -> None:
    clock = VirtualClock()
    with Engine(clock=clock, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.participant("clerk", type="ROLE")
        p = pb.process("p")
        p.activity("quote", performer="clerk", extended={"wfengine:escalate-after": "PT4H"})
        e.deploy(pb.build())
        iid = e.start_process("p")
        (item,) = e.work_items(iid)
        assert item.assignees == ("alice",)
        e.claim_work_item(item.id, "alice")
        e.directory = Organisation.from_data({**ORG, "users": ORG["users"][1:]})  # alice left
        clock.advance(timedelta(hours=4))
        [incident] = e.incidents(iid)
        assert (
            "its escalation reaches no one (its holder 'alice' left and nobody else is "
            "offered it: reoffer_work() offers it anew)" in incident.message
        )
