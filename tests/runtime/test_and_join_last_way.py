"""A Parallel join tests its last way first as a token arrives, and scans every way only once
that one holds a token: the branches of a split run in order, so the last way is most often
the last to come, and a join of n ways scanned them all at each of its n arrivals (a split
into 50 spent 1% of its run there). The test is exact: a join whose last way comes first
still waits for every other."""

from __future__ import annotations

import builtins
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.runtime.navigation import joins


def _fan(ways: int, long_first: bool) -> PackageBuilder:
    """A split into ``ways`` one-task branches; ``long_first``: every way but the last has
    a second task, so the last way's token comes first."""
    pb = PackageBuilder("p")
    pb.application("work")
    p = pb.process("fan")
    p.start("s")
    p.route("split", gateway="Parallel")
    p.route("join", gateway="Parallel")
    p.end("e")
    p.sequence("s", "split")
    for k in range(ways):
        p.activity(f"t{k}", tool="work")
        if long_first and k < ways - 1:
            p.activity(f"u{k}", tool="work")
            p.sequence("split", f"t{k}", f"u{k}", "join")
        else:
            p.sequence("split", f"t{k}", "join")
    p.sequence("join", "e")
    return pb


def _run(pb: PackageBuilder) -> tuple[Engine, str]:
    engine = Engine()
    engine.applications.register("work", lambda: None)
    engine.deploy(pb.build())
    return engine, engine.start_process("fan")


def test_the_ways_are_scanned_only_once_the_last_one_holds_a_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scans: list[int] = []

    def counted(values: Any) -> bool:
        scans.append(len(values))
        return builtins.all(values)

    monkeypatch.setattr(joins, "all", counted, raising=False)
    engine, pi = _run(_fan(20, long_first=False))
    assert engine.instance(pi).state.value == "closed.completed"
    # the last arrival: the test that fires the join, and the one that ends its loop
    assert scans == [20, 20, 20]


def test_a_join_whose_last_way_comes_first_waits_for_the_others() -> None:
    engine, pi = _run(_fan(5, long_first=True))
    assert engine.instance(pi).state.value == "closed.completed"
    events = engine.audit_events(instance_id=pi)
    started = [e.activity_id for e in events if e.kind == "activity.started"]
    assert started.count("join") == 1
    assert started.index("join") > max(started.index(f"u{k}") for k in range(4))
    assert started.index("t4") < started.index("u0")  # the last way's token came first
