"""A Complex join in a loop after a round in which a branch never came (WCP9, WCP28, WCP30,
WCP31): the next rounds fire the first time the condition holds, not once all branches came.

It was: the step after the join, which reaches it again only through the split that starts
the next round, counted as a token still to come, so the round that lost a branch never
ended; every later token was held as the next round's, and the join became an AND-join.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import check_history, store_url
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import GatewayType, Join
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with Engine(clock=VirtualClock(), db_url=store_url(request, request.param, tmp_path)) as e:
        yield e
        check_history(e)


def _loop(condition: str, *, b3_condition: str | None = None) -> PackageBuilder:
    """A Parallel split ``s`` into person's steps b1, b2, b3, the Complex join ``disc``, then
    a person's step ``e`` that loops back to ``s`` while ``r < 2``."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("r", "INTEGER", initial="0")
    p.data_field("go3", "BOOLEAN", initial="false")
    p.activity("st").route("s", split="Parallel", join="Exclusive")
    for b in ("b1", "b2", "b3"):
        p.activity(b, performer="clerk").transition("s", b)
    p.activity("disc", join=Join(type=GatewayType.COMPLEX, incoming_condition=condition))
    p.transition("b1", "disc").transition("b2", "disc")
    p.transition("b3", "disc", condition=b3_condition)
    p.activity("e", performer="clerk", split="Exclusive").activity("done")
    p.transition("st", "s").transition("disc", "e")
    p.transition("e", "s", condition="r < 2").transition("e", "done", otherwise=True)
    return pb


def _done(engine: Engine, iid: str, activity: str, data: dict[str, int] | None = None) -> None:
    (item,) = [w for w in engine.work_items(iid) if w.activity_id == activity]
    engine.complete_work_item(item.id, data)


def _offered(engine: Engine, iid: str) -> list[str]:
    return sorted(w.activity_id for w in engine.work_items(iid))


def _round_two(engine: Engine, iid: str, need: int) -> None:
    """Round two: the join fires once ``need`` branches came, and the rest are absorbed."""
    for b in ("b1", "b2", "b3")[:need]:
        _done(engine, iid, b)
    assert engine.trace(iid).count("disc") == 2
    assert "e" in _offered(engine, iid)
    for b in ("b1", "b2", "b3")[need:]:
        _done(engine, iid, b)
    assert engine.tokens(iid) == []
    _done(engine, iid, "e", {"r": 2})
    assert engine.trace(iid).count("disc") == 2
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize(("condition", "need"), [("arrived >= 1", 1), ("arrived >= 2", 2)])
def test_a_branch_cancelled_in_round_one_does_not_make_round_two_wait_for_all(
    engine: Engine, condition: str, need: int
) -> None:
    engine.deploy(_loop(condition).build())
    iid = engine.start_process("main")
    _done(engine, iid, "b1")
    _done(engine, iid, "b2")
    (b3,) = [w for w in engine.work_items(iid) if w.activity_id == "b3"]
    engine.cancel_activity(iid, b3.activity_instance_id)  # its branch ends there
    assert _offered(engine, iid) == ["e"]
    _done(engine, iid, "e", {"r": 1})
    assert _offered(engine, iid) == ["b1", "b2", "b3"]
    _round_two(engine, iid, need)


def test_a_branch_whose_way_in_is_false_in_round_one_does_not_make_round_two_wait(
    engine: Engine,
) -> None:
    engine.deploy(_loop("arrived >= 1", b3_condition="go3").build())
    iid = engine.start_process("main")
    for b in ("b1", "b2", "b3"):  # b3's thread ends: its way into the join is false
        _done(engine, iid, b)
    _done(engine, iid, "e", {"r": 1})
    _done(engine, iid, "b1")
    assert engine.trace(iid).count("disc") == 2
    assert _offered(engine, iid) == ["b2", "b3", "e"]
