"""Completing the instances of a large multi-instance activity one by one costs the same per
completion however many there are: a commit looks only at what closed in its command, not at
every activity instance the instance holds (an open multi-instance activity keeps all its
closed instances until it closes, and a commit that scanned them all made completing N of
them cost N squared).

Measured by counting, never by time: the instance's activity instances sit in a dict that
counts every look at one, and a completion's command (navigation and commit together) may
look at the same few whatever N is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.engine import Engine
from wfengine.runtime.instance import ActivityInstance
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.states import ProcessState


class _Counted(dict[str, ActivityInstance]):
    """A dict of activity instances that counts each one read from it."""

    looks = 0

    def __iter__(self) -> Iterator[str]:
        for key in super().__iter__():
            _Counted.looks += 1
            yield key

    def keys(self) -> Any:
        return list(iter(self))

    def values(self) -> Any:
        return [self[key] for key in dict.__iter__(self)]

    def items(self) -> Any:
        return [(key, self[key]) for key in dict.__iter__(self)]

    def __getitem__(self, key: str) -> ActivityInstance:
        _Counted.looks += 1
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        _Counted.looks += 1
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        _Counted.looks += 1
        return super().__contains__(key)


def _looks_per_completion(n: int, shape: str) -> float:
    """Start an instance whose person's activity ``m`` has ``n`` instances, complete all but
    the last one by one; the looks at its activity instances per completion."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    loop = multi_instance(str(n))
    if shape == "top":  # the activity in the process's top level
        p.activity("m", performer="clerk", loop=loop)
        p.activity("after").transition("m", "after")
    elif shape == "in block":  # inside an activity set a block runs
        p.activity_set("inner").activity("m", performer="clerk", loop=loop)
        p.block("b", activity_set="inner").activity("after").transition("b", "after")
    else:  # a multi-instance block: each instance runs the set in a scope of its own
        p.activity_set("inner").activity("m", performer="clerk")
        p.block("b", activity_set="inner", loop=loop)
        p.activity("after").transition("b", "after")
    engine = Engine()
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    items = engine.work_items(iid)
    assert len(items) == n
    store = engine.store
    assert isinstance(store, MemoryStore)
    inst = store.instance(iid)  # the memory store's live record
    inst.activities = _Counted(inst.activities)
    _Counted.looks = 0
    for item in items[:-1]:
        engine.complete_work_item(item.id)
    looks = _Counted.looks / (n - 1)
    engine.complete_work_item(items[-1].id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    made = {"top": n + 2, "in block": n + 3, "multi-instance block": 2 * n + 2}[shape]
    assert len(engine.activity_instances(iid)) == made  # each kept in the history
    return looks


@pytest.mark.parametrize("shape", ["top", "in block", "multi-instance block"])
def test_completing_each_instance_of_a_large_multi_instance_activity_costs_the_same(
    shape: str,
) -> None:
    small, large = _looks_per_completion(100, shape), _looks_per_completion(1000, shape)
    assert large <= small + 0.5  # (it was about 1000 against 100: every closed instance)
    assert large < 10
