"""``send_back_work_item``'s ``to_activity`` is checked as its ``reason`` is, before anything
runs: not text is a ``TypeError`` naming the method and the argument (a list failed as
"unhashable type: 'list'", None as "no earlier activity None"), empty a ``ValueError``."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, WorkItemState


@pytest.mark.parametrize(
    ("to_activity", "error", "says"),
    [
        (None, TypeError, r"send_back_work_item: to_activity is .*\(text\), not NoneType"),
        (5, TypeError, r"send_back_work_item: to_activity is .*\(text\), not int"),
        (["draft"], TypeError, r"send_back_work_item: to_activity is .*\(text\), not list"),
        ("", ValueError, r"send_back_work_item: to_activity is empty"),
    ],
)
def test_to_activity_that_is_no_activity_id_is_refused_before_anything_runs(
    org_engine: Engine, to_activity: Any, error: type[Exception], says: str
) -> None:
    e = org_engine
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("draft", performer="clerk").activity("check", performer="clerk")
    p.transition("draft", "check")
    e.deploy(pb.build())
    iid = e.start_process("p")
    (draft,) = e.work_items(iid)
    e.complete_work_item(draft.id, user="bob")
    (check,) = e.work_items(iid)
    e.claim_work_item(check.id, "alice")
    trail = len(e.audit(iid))
    with pytest.raises(error, match=says):
        e.send_back_work_item(check.id, "alice", to_activity, "redo it")
    assert len(e.audit(iid)) == trail  # nothing recorded, nothing changed
    (still,) = e.work_items(iid)
    assert (still.id, still.state, still.holder) == (check.id, WorkItemState.ALLOCATED, "alice")
