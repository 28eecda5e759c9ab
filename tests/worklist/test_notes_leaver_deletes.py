"""A user who left the organisation may not delete the comments and attachments they wrote
(docs/wapi.md: a user the organisation does not know is refused every operation), as they
may not read them; the refusal is in the instance's audit trail, and an administrator may
still delete them."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    notes_for,
)


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        e.deploy(pb.build())
        yield e


def test_a_leaver_may_not_delete_what_they_wrote(engine: Engine) -> None:
    instance_id = engine.start_process("p")
    (item,) = engine.work_items(instance_id)
    notes = notes_for(engine)
    comment = notes.add_comment("alice", instance_id, "called twice", work_item_id=item.id)
    filed = notes.attach("alice", instance_id, "a.txt", "text/plain", b"x", work_item_id=item.id)
    left = copy.deepcopy(ORG)
    left["users"] = [u for u in left["users"] if u["id"] != "alice"]
    engine.directory = Organisation.from_data(left)  # alice leaves
    with pytest.raises(NotAuthorizedError, match="the organisation does not know them"):
        notes.delete_comment("alice", comment.id)
    with pytest.raises(NotAuthorizedError, match="the organisation does not know them"):
        notes.delete_attachment("alice", filed.id)
    assert [c.id for c in notes.comments(None, instance_id)] == [comment.id]
    assert notes.download("root", filed.id)[1] == b"x"
    trail = engine.audit_events(instance_id=instance_id, kind=["operation.refused"])
    assert [(e.detail["operation"], e.detail["user"], e.work_item_id) for e in trail] == [
        ("delete", "alice", item.id),
        ("delete", "alice", item.id),
    ]
    notes.delete_comment("root", comment.id)  # an administrator still may
    notes.delete_attachment("root", filed.id)
    assert notes.comments(None, instance_id) == []
    assert notes.attachments(None, instance_id) == []
