"""XES credits work handed on (reassigned by a supervisor, delegated) to whoever it was handed
to: a start or completion the trail records with no user (the host's code completed it) has
the holder as ``org:resource``, as ``stats`` credits them, and ``user=`` keeps it for them."""

from __future__ import annotations

from tests.audit.xes_log import xes_steps
from wfengine import Engine, Organisation, PackageBuilder, process_metrics

ORG = {
    "users": [
        {"id": "alice", "roles": ["clerk"], "units": ["sales"]},
        {"id": "bob", "roles": ["clerk"], "units": ["sales"]},
        {"id": "carol", "roles": ["manager"], "units": ["management"]},
    ],
    "units": [{"id": "management"}, {"id": "sales", "supervisor": "carol", "parent": "management"}],
}


def test_work_reassigned_or_delegated_is_credited_to_whom_it_went() -> None:
    with Engine(directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.activity("a", performer="clerk").activity("b", performer="clerk")
        p.transition("a", "b")
        e.deploy(pb.build())
        iid = e.start_process("p")
        (a,) = e.work_items(iid)
        e.claim_work_item(a.id, "alice")
        e.start_work_item(a.id, "alice")
        e.reassign_work_item(a.id, "carol", "bob")  # the supervisor gives it to bob
        e.complete_work_item(a.id)  # the host's code completes it, naming no one
        (b,) = e.work_items(iid)
        e.claim_work_item(b.id, "alice")
        e.delegate_work_item(b.id, "alice", "bob")
        e.complete_work_item(b.id)
        steps = xes_steps(e)
        bobs = xes_steps(e, user="bob")
        users = [(u.user, u.completed) for u in process_metrics(e, "p").users]
    assert steps == [
        ("a", "schedule", None),
        ("a", "assign", "alice"),
        ("a", "start", "alice"),
        ("a", "reassign", "carol"),  # who reassigned it
        ("a", "complete", "bob"),
        ("b", "schedule", None),
        ("b", "assign", "alice"),
        ("b", "reassign", "alice"),  # who delegated it
        ("b", "start", "bob"),
        ("b", "complete", "bob"),
    ]
    assert bobs == [("a", "complete", "bob"), ("b", "start", "bob"), ("b", "complete", "bob")]
    assert users == [("bob", 2)]
