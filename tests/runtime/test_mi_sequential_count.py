"""A sequential multi-instance activity evaluates its count again after each instance
(WCP15, README: "sequential MultiInstance loop re-evaluating its count"): up, and down. A
lowered count used to be ignored (k 3 -> 1 after the first review: 3 reviews still ran); now
the activity ends once as many instances as the count says are done (never fewer than are
done already), and instances ``add_mi_instance`` added come on top of the count."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

pytestmark = pytest.mark.parametrize("store_kind", ["memory", "sqlite"], indirect=True)


def _reviews(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("k", "INTEGER", initial="3")
    p.activity("review", performer="clerk", loop=multi_instance("k", ordering="Sequential"))
    p.activity("after").transition("review", "after")
    return run(engine, pb)


def _finish(engine: Engine, iid: str) -> int:
    """Complete the reviews one by one until none is offered; returns how many."""
    done = 0
    while items := engine.work_items(iid):
        assert len(items) == 1  # one at a time
        engine.complete_work_item(items[0].id)
        done += 1
    return done


@pytest.mark.parametrize(("lowered", "reviews"), [(5, 5), (3, 3), (2, 2), (1, 1), (0, 1)])
def test_the_count_read_after_the_first_review_says_how_many_run(
    engine: Engine, lowered: int, reviews: int
) -> None:
    iid = _reviews(engine)
    engine.complete_work_item(engine.work_items(iid)[0].id, {"k": lowered})
    assert 1 + _finish(engine, iid) == reviews
    assert engine.trace(iid) == ["review"] * reviews + ["after"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_added_instance_comes_on_top_of_a_lowered_count(engine: Engine) -> None:
    iid = _reviews(engine)
    [first] = engine.work_items(iid)
    container = next(
        a.id
        for a in engine.activity_instances(iid)
        if a.activity_id == "review" and a.mi_index is None
    )
    assert engine.add_mi_instance(container) is None  # sequential: after the others
    engine.complete_work_item(first.id, {"k": 1})
    assert 1 + _finish(engine, iid) == 2  # the count's one, and the added one
    assert engine.instance(iid).state is ProcessState.COMPLETED
