"""``send_message(..., keep=...)`` takes True or False only. Before, any value was read for
its truth: ``keep="no"`` (or ``"false"``) is a non-empty string, so the message the host meant
not to keep was kept, to answer a later wait the sender never saw. Now anything but a bool is
a ``TypeError`` naming the argument, before anything changes."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from tests.runtime.test_message_not_kept import _work_then_catch
from wfengine import Engine

pytestmark = pytest.mark.parametrize("store_kind", ["memory"], indirect=True)


@pytest.mark.parametrize("keep", ["no", "false", 0, 1, None])
def test_keep_that_is_not_a_bool_is_refused_and_nothing_is_kept(
    engine: Engine, keep: object
) -> None:
    iid = run(engine, _work_then_catch(), data={"answer": "none"})
    trail = len(engine.audit(iid))
    with pytest.raises(TypeError, match=r"send_message: keep must be True or False, not "):
        engine.send_message("customer_reply", {"answer": "old"}, instance_id=iid, keep=keep)  # type: ignore[arg-type]
    assert len(engine.audit(iid)) == trail  # not kept, nothing audited
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.trace(iid) == ["work"]  # the catch waits: no kept message answered it


def test_a_bool_keep_is_taken(engine: Engine) -> None:
    iid = run(engine, _work_then_catch())
    assert engine.send_message("customer_reply", {}, instance_id=iid, keep=True) is False
    assert [x.kind for x in engine.audit(iid) if x.kind.startswith("message.")] == ["message.kept"]
