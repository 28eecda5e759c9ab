"""Comments and attachments on a work item that a re-offer replaced are read by whoever may
see the item that replaced it.

Before: notes stayed on ``wi-1``, which only its old assignees may see, so the clerk a new
organisation gave the work to (``wi-2``) read none of them: the customer's phone call and
the invoice vanished with the clerk who left. Nothing is copied: reading follows the chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    notes_for,
)


def _org(*clerks: str) -> Organisation:
    users = [{"id": c, "roles": ["clerk"]} for c in clerks] + [{"id": "zoe"}]
    return Organisation.from_data({"users": users})


@pytest.fixture(params=STORES[:2])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=_org("alice")) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        e.deploy(pb.build())
        yield e
        check_history(e)


def test_the_new_clerk_reads_the_notes_left_on_the_replaced_item(engine: Engine) -> None:
    iid = engine.start_process("p")
    (first,) = engine.work_items(iid)
    engine.claim_work_item(first.id, "alice")
    notes = notes_for(engine)
    notes.add_comment("alice", iid, "include shipping", work_item_id=first.id)
    made = notes.attach(
        "alice", iid, "invoice.pdf", "application/pdf", b"%PDF", work_item_id=first.id
    )

    engine.directory = _org("bob")  # alice left, bob does the clerks' work
    engine.reoffer_work()
    engine.directory = _org("bob", "dan")  # and a second re-offer: the chain wi-1, 2, 3
    engine.reoffer_work()
    (now,) = engine.work_items(iid)
    assert now.id != first.id and "bob" in now.assignees

    assert [c.text for c in notes.comments("bob", iid)] == ["include shipping"]
    assert [a.name for a in notes.attachments("bob", iid)] == ["invoice.pdf"]
    assert [c.text for c in notes.comments("dan", iid, work_item_id=now.id)] == ["include shipping"]
    assert [c.text for c in notes.comments("bob", iid, work_item_id=first.id)] == [
        "include shipping"
    ]
    assert notes.download("dan", made.id)[1] == b"%PDF"
    # stored where it was left: nothing copied or moved
    assert [c.work_item_id for c in notes.comments(None, iid)] == [first.id]

    with pytest.raises(NotAuthorizedError):  # zoe may see no item of the chain
        notes.comments("zoe", iid, work_item_id=first.id)
    with pytest.raises(NotAuthorizedError):
        notes.download("zoe", made.id)
