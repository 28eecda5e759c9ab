"""A command that fails part-way (here a host directory that is unreachable while the next
work item is offered) changes nothing, on every store: the person's completion, the closed
activities, the application's step and the audit trail are all as they were, and the same
command succeeds once the directory answers. The memory store used to keep the half-done
command: the item completed but listed as open, activity 'b' with no work item, and the
retry refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, MemoryStore, PackageBuilder, VirtualClock


class _FlakyDirectory:
    """Answers every participant with itself, but fails the ``fail_on``-th question."""

    def __init__(self, fail_on: int) -> None:
        self.calls = 0
        self.fail_on = fail_on

    def members(self, participant_id: str, participant: object = None) -> tuple[str, ...]:
        self.calls += 1
        if self.calls == self.fail_on:
            raise ConnectionError("directory server unreachable")
        return (participant_id,)


def _package() -> PackageBuilder:
    pb = PackageBuilder("p")
    pb.application("app", params=[("n", "IN", "INTEGER")])
    p = pb.process("proc")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s")
    p.activity("a", performer="clerk")
    p.activity("t", tool="app", args=["n"])
    p.activity("b", performer="boss")
    p.end("e")
    p.sequence("s", "a", "t", "b", "e")
    return pb


@pytest.mark.parametrize("store", ["memory", "sqlite", "postgres"])
def test_a_command_that_fails_part_way_changes_nothing(
    store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    calls: list[int] = []
    pb = _package()
    url = store_url(request, store, tmp_path)
    directory = _FlakyDirectory(fail_on=2)
    with Engine(clock=VirtualClock(), db_url=url, directory=directory) as engine:
        engine.applications.register("app", lambda n: calls.append(n) or {})
        engine.deploy(pb.build())
        pi = engine.start_process("proc")
        (item,) = engine.work_items(pi)
        trail = [ev.kind for ev in engine.audit(pi)]
        states = {a.id: a.state for a in engine.activity_instances(pi)}

        with pytest.raises(ConnectionError, match="unreachable"):
            engine.complete_work_item(item.id, {"n": 5})

        assert engine.work_item(item.id).state.value == "offered"
        assert [w.id for w in engine.work_items(pi)] == [item.id]
        assert {a.id: a.state for a in engine.activity_instances(pi)} == states
        assert [ev.kind for ev in engine.audit(pi)] == trail
        assert engine.instance(pi).data["n"] == 0
        assert engine.incidents(pi) == []

        engine.complete_work_item(item.id, {"n": 6})  # the directory answers again
        assert [w.activity_id for w in engine.work_items(pi)] == ["b"]
        assert engine.instance(pi).data["n"] == 6
        assert calls == [5, 6]  # the failed command's call was made; its effects are gone


def test_engines_sharing_a_memory_store_never_share_an_id() -> None:
    store = MemoryStore()
    pb = _package()
    first = Engine(store=store, clock=VirtualClock())
    second = Engine(store=store, clock=VirtualClock())
    first.deploy(pb.build())
    ids = [first.start_process("proc", {"n": 1}), second.start_process("proc", {"n": 2})]
    assert len(set(ids)) == 2
    assert [first.instance(i).data["n"] for i in ids] == [1, 2]
    items = [w.id for i in ids for w in first.work_items(i)]
    assert len(set(items)) == 2
