"""An IdGenerator that repeats a work-item id: the SQL stores refuse the new item, as they refuse
a repeated process-instance id (and as the memory store refuses both), naming the id generator;
the item stored under that id stays its instance's. Before, the commit wrote work items with an
upsert on their id, so the new item silently replaced another instance's: that instance lost
its work, and completing the id moved the wrong instance on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder, SequentialIds
from wfengine.errors import StoreError

_SQL_STORES = ("sqlite", "postgres")


@pytest.fixture(params=_SQL_STORES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    found = store_url(request, request.param, tmp_path)
    assert found is not None
    return found


def _package() -> PackageBuilder:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("a", performer="clerk").activity("b", performer="clerk").end("e")
    p.sequence("s", "a", "b", "e")
    return pb


class RepeatsItems:
    """Fresh ids until ``repeat`` is set; then every work item is ``wi-1``."""

    def __init__(self, repeat: bool = False) -> None:
        self._fresh = SequentialIds()
        self.repeat = repeat

    def new(self, kind: str) -> str:
        return "wi-1" if kind == "wi" and self.repeat else self._fresh.new(kind)


def test_a_start_whose_work_item_id_is_taken_is_refused_and_stores_nothing(url: str) -> None:
    with Engine(ids=RepeatsItems(repeat=True), db_url=url) as engine:
        engine.deploy(_package().build())
        first = engine.start_process("ticket", {"customer": "first"})
        with pytest.raises(
            StoreError,
            match=r"work item 'wi-1' is stored already: the id generator "
            r"\(Engine\(ids=\.\.\.\)\) handed out an id in use",
        ):
            engine.start_process("ticket", {"customer": "second"})
        assert [s.id for s in engine.instance_summaries()] == [first]
        [item] = engine.work_items()
        assert (item.id, item.instance_id, item.activity_id) == ("wi-1", first, "a")


def test_a_completion_whose_next_item_id_is_taken_leaves_both_instances_as_they_were(
    url: str,
) -> None:
    ids = RepeatsItems()
    with Engine(ids=ids, db_url=url) as engine:
        engine.deploy(_package().build())
        first = engine.start_process("ticket")  # its item is wi-1
        other = engine.start_process("ticket")
        [mine] = engine.work_items(other)
        engine.claim_work_item("wi-1", "clerk")
        ids.repeat = True  # the next item of `other` would be wi-1 again
        with pytest.raises(StoreError, match=r"work item 'wi-1' is stored already"):
            engine.complete_work_item(mine.id)
        [kept] = engine.work_items(first)
        assert (kept.id, kept.activity_id, kept.state.value, kept.holder) == (
            "wi-1",
            "a",
            "allocated",
            "clerk",
        )
        [still] = engine.work_items(other)
        assert (still.id, still.activity_id, still.state.value) == (mine.id, "a", "offered")
        states = {a.activity_id: a.state.value for a in engine.activity_instances(other)}
        assert states == {"s": "closed.completed", "a": "open.not_running.not_started"}


def test_two_engines_with_their_own_counters_run_again_with_a_fresh_id(url: str) -> None:
    """Each engine counting from 1 (SequentialIds per engine on one database, a set-up the
    docs advise against): the id the second hands out is refused and its command run again
    with the next one, instead of taking the first engine's item over."""
    with (
        Engine(ids=SequentialIds(), db_url=url) as a,
        Engine(ids=SequentialIds(), db_url=url) as b,
    ):
        a.deploy(_package().build())
        p1 = a.start_process("ticket")  # pi-1, wi-1
        p2 = b.start_process("ticket")  # pi-1 is taken: run again as pi-2, wi-2
        [w2] = b.work_items(p2)
        b.claim_work_item(w2.id, "clerk")
        [w1] = a.work_items(p1)
        a.complete_work_item(w1.id)  # its next item from a's counter: wi-2, taken
        [theirs] = a.work_items(p2)
        assert (theirs.id, theirs.activity_id, theirs.holder) == (w2.id, "a", "clerk")
        [next_item] = a.work_items(p1)
        assert next_item.activity_id == "b"
        assert next_item.id not in (w1.id, w2.id)
