"""What the compiler tabulates for the whole process (the activities four eyes looks at, whether
any conditional event waits) takes in every activity set, also one whose every activity Id
another set repeats (TIBCO files do; validation warns ``duplicate-id-scopes``): such a set's
graph is in no entry of ``activity_graph``, which keeps the first graph of each Id, and the
tables were made from it, so that set's four-eyes rules and conditional events were left out.

Each process here: a parallel split runs block A (set A) and block B (set B); set B's every
activity Id is also set A's. The builder refuses a repeated Id, so the package is built with
``<Id>A`` and ``<Id>B`` and read back with both named ``<Id>``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, VirtualClock
from wfengine.definition.builder import PackageBuilder, ProcessBuilder
from wfengine.definition.io import dump_xpdl, load_xpdl
from wfengine.definition.model import Package

ORG = {
    "users": [
        {"id": "alice", "roles": ["clerk"]},
        {"id": "bob", "roles": ["clerk"]},
        {"id": "carol", "roles": ["auditor"]},
        {"id": "dave", "roles": ["auditor"]},
    ],
}


@pytest.fixture(params=STORES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return store_url(request, request.param, tmp_path)


@pytest.fixture
def engine(url: str | None) -> Iterator[Engine]:
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        yield e
        check_history(e)


def _two_blocks(pb: PackageBuilder, p: ProcessBuilder, *ids: str) -> Package:
    """``pb``'s package, its process ``p`` running block A and block B in parallel, its
    activities ``<id>A`` and ``<id>B`` of ``ids`` both named ``<id>``."""
    p.route("split", gateway="Parallel")
    p.block("BlockA", activity_set="SetA").block("BlockB", activity_set="SetB")
    p.sequence("split", "BlockA").sequence("split", "BlockB")
    text = dump_xpdl(pb.build())
    for activity_id in ids:
        for suffix in ("A", "B"):
            text = text.replace(f'"{activity_id}{suffix}"'.encode(), f'"{activity_id}"'.encode())
    return load_xpdl(text)


def test_four_eyes_in_a_set_of_repeated_ids_takes_work_from_its_performer(
    engine: Engine,
) -> None:
    """Each set runs Review and Check at once, Check not for Review's performer. Alice
    completes set B's Review while set B's Check is offered to both clerks: it stayed offered
    to her (set B's rule was not among those four eyes looks at)."""
    pb = PackageBuilder("pkg")
    main = pb.process("main")
    for suffix, role in (("A", "auditor"), ("B", "clerk")):
        s = main.activity_set(f"Set{suffix}")
        s.activity(f"Review{suffix}", performer=role)
        rule = {"DoNotAssignToPerformerOfActivity": f"Review{suffix}"}
        s.activity(f"Check{suffix}", performer=role, extended=rule)
    engine.deploy(_two_blocks(pb, main, "Review", "Check"))
    iid = engine.start_process("main")

    def offered(activity_id: str, role_user: str) -> tuple[str, ...]:
        (item,) = [
            w
            for w in engine.work_items(iid)
            if w.activity_id == activity_id and w.state.is_open and role_user in w.assignees
        ]
        return item.assignees

    assert offered("Check", "alice") == ("alice", "bob")
    (review,) = [
        w for w in engine.work_items(iid) if w.activity_id == "Review" and "alice" in w.assignees
    ]
    engine.complete_work_item(review.id, user="alice")
    assert offered("Check", "bob") == ("bob",)


def test_a_conditional_event_in_a_set_of_repeated_ids_fires(engine: Engine) -> None:
    """Set A's Wait is a clerk's work, set B's a conditional event on ``flag``: setting the
    flag left set B's event waiting (no conditional event was known in the process, so
    none was tested)."""
    pb = PackageBuilder("pkg")
    main = pb.process("main")
    main.data_field("flag", "STRING", initial="'no'")
    main.activity_set("SetA").activity("WaitA", performer="clerk")
    main.activity_set("SetB").intermediate("WaitB", condition="flag == 'yes'")
    engine.deploy(_two_blocks(pb, main, "Wait"))
    iid = engine.start_process("main")
    engine.set_data(iid, {"flag": "yes"})
    assert engine.trace(iid).count("Wait") == 1
    assert [w.activity_id for w in engine.work_items(iid) if w.state.is_open] == ["Wait"]
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id, user="alice")
    assert engine.instance(iid).state == "closed.completed"
