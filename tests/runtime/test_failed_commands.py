"""A host directory that fails while the next work item is offered (an organisation server
that does not answer) leaves the same state on every store: the person's completion stands,
the next activity waits with an incident, and retrying the incident once the directory
answers offers the work. The memory store used to keep half of the command (the item
completed but listed as open, an activity with no work item, the retry refused) while a
database rolled it back; engines sharing one MemoryStore never share an id."""

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
def test_a_directory_that_fails_leaves_an_incident_on_every_store(
    store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    calls: list[int] = []
    url = store_url(request, store, tmp_path)
    directory = _FlakyDirectory(fail_on=2)
    with Engine(clock=VirtualClock(), db_url=url, directory=directory) as engine:
        engine.applications.register("app", lambda n: calls.append(n) or {})
        engine.deploy(_package().build())
        pi = engine.start_process("proc")
        (item,) = engine.work_items(pi)

        engine.complete_work_item(item.id, {"n": 5})  # b's offer asks the failing directory

        assert engine.work_item(item.id).state.value == "completed"
        assert engine.work_items(pi) == []
        (incident,) = engine.incidents(pi)
        assert incident.activity_id == "b"
        assert "the directory failed to say who may do it" in incident.message
        assert "ConnectionError: directory server unreachable" in incident.message
        assert engine.instance(pi).data["n"] == 5 and calls == [5]

        engine.retry_incident(incident.id)  # the directory answers again
        assert [w.activity_id for w in engine.work_items(pi)] == ["b"]
        assert engine.incidents(pi) == []


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
