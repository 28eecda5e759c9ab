"""Process metrics count each activity set's ``Review`` by its own kind when sets repeat the
Id (TIBCO files do; see :mod:`tests.runtime.repeated_scopes`): on a database, whether the
Id's rows were multi-instance containers or Standard loops was asked of the first compiled
``Review`` only, so set B's plain Review beside set A's multi-instance one was left out as a
container (and set A's plain one beside set B's), and set B's loop rounds were one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.runtime.repeated_scopes import two_reviews
from wfengine import Engine, VirtualClock
from wfengine.audit.metrics import process_metrics
from wfengine.definition.builder import multi_instance, standard_loop

PLAIN: dict[str, Any] = {"performer": "clerk"}
MULTI: dict[str, Any] = {"performer": "clerk", "loop": multi_instance("2")}
LOOP: dict[str, Any] = {"performer": "clerk", "loop": standard_loop("true", maximum=3)}


@pytest.mark.parametrize(
    ("a", "b", "done"),
    [(MULTI, PLAIN, 3), (PLAIN, MULTI, 3), (PLAIN, LOOP, 4)],
    ids=["multi-plain", "plain-multi", "plain-loop"],
)
def test_each_sets_review_counts_by_its_own_kind(
    engine: Engine, clock: VirtualClock, a: dict[str, Any], b: dict[str, Any], done: int
) -> None:
    engine.deploy(two_reviews(a, b))
    iid = engine.start_process("main")
    while work := [w for w in engine.work_items(iid) if w.state.is_open]:
        clock.advance(timedelta(minutes=5))
        for item in work:
            engine.complete_work_item(item.id)
    assert engine.instance(iid).state == "closed.completed"
    (review,) = [m for m in process_metrics(engine, "main").activities if m.activity_id == "Review"]
    assert review.count == done
    assert review.waiting.total + review.processing.total == pytest.approx(done * 300.0)
