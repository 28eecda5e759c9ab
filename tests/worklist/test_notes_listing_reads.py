"""Listing an instance's notes reads each of its work items once at most.

Since notes on items were filtered per reader (223dc38), a listing read every item of the
instance to check the reader, then each noted item again to filter, administrators' listings
included (3,000 items on SQLite: 1,245 ms for a clerk, 771 before). The host and an
administrator now list without reading an item; anyone else has the items read once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from wfengine import Engine, NotAuthorizedError, PackageBuilder, notes_for
from wfengine.definition.build_arguments import multi_instance

_ITEMS = 3


def _noted_items(engine: Engine) -> tuple[str, list[str]]:
    """An instance with three items of alice's (a clerk), each with a comment and a file."""
    pb = PackageBuilder("pkg")
    pb.process("p").activity("a", performer="clerk", loop=multi_instance(str(_ITEMS)))
    engine.deploy(pb.build())
    instance_id = engine.start_process("p")
    engine.run_due_jobs()
    items = [w.id for w in engine.work_items(instance_id)]
    notes = notes_for(engine)
    for item in items:
        notes.add_comment("alice", instance_id, f"on {item}", work_item_id=item)
        notes.attach("alice", instance_id, "f.txt", "text/plain", b"x", work_item_id=item)
    return instance_id, items


def _counting(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the engine's work item reads, by item."""
    reads: Counter[str] = Counter()
    read: Callable[[str], Any] = engine.work_item

    def counted(work_item_id: str) -> Any:
        reads[work_item_id] += 1
        return read(work_item_id)

    monkeypatch.setattr(engine, "work_item", counted)
    return reads


@pytest.mark.parametrize("listing", ["comments", "attachments"])
def test_a_listing_reads_each_item_once_and_none_for_the_host_or_an_administrator(
    org_engine: Engine, monkeypatch: pytest.MonkeyPatch, listing: str
) -> None:
    instance_id, items = _noted_items(org_engine)
    notes = notes_for(org_engine)
    reads = _counting(org_engine, monkeypatch)
    listed = getattr(notes, listing)
    for user in ("alice", "carol"):  # the clerk, her supervisor
        reads.clear()
        assert len(listed(user, instance_id)) == _ITEMS
        assert reads == Counter(items), user
    for user in ("root", None):  # an administrator, the host
        reads.clear()
        assert len(listed(user, instance_id)) == _ITEMS
        assert not reads, user


def test_one_who_sees_no_item_is_still_refused(
    org_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance_id, items = _noted_items(org_engine)
    notes = notes_for(org_engine)
    reads = _counting(org_engine, monkeypatch)
    with pytest.raises(NotAuthorizedError, match=r"may not see it"):
        notes.comments("dan", instance_id)
    assert reads == Counter(items)
    refused = [e for e in org_engine.audit(instance_id) if e.kind == "operation.refused"]
    assert refused[-1].work_item_id is None
