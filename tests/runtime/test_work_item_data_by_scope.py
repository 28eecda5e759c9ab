"""A work item shows the data its own activity's rules let it read when activity sets repeat
the activity's Id: set B's ``Review`` (reads ``b``) showed ``a``, set A's field, as the first
compiled ``Review`` (set A's) allowed (see :mod:`tests.runtime.repeated_scopes`)."""

from __future__ import annotations

from tests.runtime.repeated_scopes import two_reviews
from wfengine.runtime.engine import Engine


def test_a_work_item_reads_what_its_own_blocks_activity_allows(engine: Engine) -> None:
    engine.deploy(
        two_reviews(
            {"performer": "auditor", "extended": {"wfengine:reads": "a"}},
            {"performer": "clerk", "extended": {"wfengine:reads": "b"}},
        )
    )
    iid = engine.start_process("main")
    shown = {w.assignees: engine.work_item_data(w.id).values for w in engine.work_items(iid)}
    assert shown == {("auditor",): {"a": "a-value"}, ("clerk",): {"b": "b-value"}}
    (done,) = [w for w in engine.work_items(iid) if w.assignees == ("clerk",)]
    engine.complete_work_item(done.id)
    # closed, its activity instance may be gone: what every Review may read (nothing here),
    # never set A's fields
    assert set(engine.work_item_data(done.id).values) <= {"b"}
