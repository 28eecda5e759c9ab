"""``retire`` gives back the activity instances it takes in creation order, whatever order
they closed in: it sorts them only when a look (``_in_creation_order``) says they are not in
order already, and that look orders ``<instance>:9`` before ``<instance>:10``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.instance import _in_creation_order, retire
from wfengine.runtime.states import ActivityState


def _ais(*numbers: int) -> list[Any]:
    return [SimpleNamespace(id=f"pi-12:{n}") for n in numbers]


@pytest.mark.parametrize(
    ("numbers", "ordered"),
    [((1, 2, 3), True), ((9, 10, 11), True), ((10, 9), False), ((2, 11, 3), False)],
)
def test_the_look_orders_by_number_not_text(numbers: tuple[int, ...], ordered: bool) -> None:
    assert _in_creation_order(_ais(*numbers)) is ordered


def test_what_closed_out_of_order_is_given_back_in_creation_order() -> None:
    """Twelve branches of a Parallel split, each a person's step: taken in the order they
    closed (the last created first), they come back by creation."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("st").route("s", split="Parallel", join="Exclusive")
    p.transition("st", "s")
    branches = [f"b{i}" for i in range(12)]
    for b in branches:
        p.activity(b, performer="clerk").transition("s", b)
    engine = Engine(clock=VirtualClock())
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    inst = engine.store.instance(iid)
    open_ = [ai for ai in inst.activities.values() if not ai.state.is_closed]
    assert len(open_) == 12
    closing = inst.closing
    assert closing is not None
    for ai in reversed(open_):  # closed last-created first
        closing[ai.id] = ai
        ai.state = ActivityState.COMPLETED
    taken = [int(ai.id.rpartition(":")[2]) for ai in retire(inst)]
    assert len(taken) == 12 and max(taken) >= 10  # (ids of one digit and of two)
    assert taken == sorted(taken)
