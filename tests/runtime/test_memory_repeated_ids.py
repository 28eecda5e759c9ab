"""An IdGenerator that repeats an id: the memory store refuses the second record, naming it
and what holds the id, and the first one stays as it was. Before, the second process
instance silently replaced the first (its data and work gone), as a second work item did."""

from __future__ import annotations

import itertools
import pathlib

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.errors import ConcurrencyError, StoreError


def _package() -> PackageBuilder:
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    return pb


class RepeatsInstances:
    """Every process instance is pi-1; other ids are fresh."""

    def __init__(self) -> None:
        self._n = itertools.count(1)

    def new(self, kind: str) -> str:
        return "pi-1" if kind == "pi" else f"{kind}-{next(self._n)}"


class RepeatsItems:
    """Every work item is wi-1; other ids are fresh."""

    def __init__(self) -> None:
        self._n = itertools.count(1)

    def new(self, kind: str) -> str:
        return "wi-1" if kind == "wi" else f"{kind}-{next(self._n)}"


def test_a_repeated_instance_id_is_refused_and_the_first_kept() -> None:
    with Engine(ids=RepeatsInstances()) as engine:
        engine.deploy(_package().build())
        first = engine.start_process("ticket", {"customer": "first"})
        with pytest.raises(StoreError, match=r"process instance 'pi-1' is stored already"):
            engine.start_process("ticket", {"customer": "second"})
        assert [s.id for s in engine.instance_summaries()] == [first]
        assert engine.instance(first).data["customer"] == "first"
        assert [w.instance_id for w in engine.work_items()] == [first]


def test_a_repeated_work_item_id_is_refused() -> None:
    with Engine(ids=RepeatsItems()) as engine:
        engine.deploy(_package().build())
        first = engine.start_process("ticket")
        with pytest.raises(StoreError, match=r"work item 'wi-1' is stored already"):
            engine.start_process("ticket")
        (item,) = engine.work_items()
        assert item.instance_id == first


def test_on_sqlite_the_refusal_names_the_id_generator(tmp_path: pathlib.Path) -> None:
    # (it said only "read outside the command that commits it ... lost 11 races in a row":
    # no race had happened, and trying again could never succeed)
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(ids=RepeatsInstances(), db_url=url) as engine:
        engine.deploy(_package().build())
        first = engine.start_process("ticket", {"customer": "first"})
        with pytest.raises(StoreError, match=r"id generator \(Engine\(ids=\.\.\.\)\)") as no:
            engine.start_process("ticket", {"customer": "second"})
        assert not isinstance(no.value, ConcurrencyError)  # (not "lost 11 races in a row")
        assert [s.id for s in engine.instance_summaries()] == [first]


class RepeatsLater:
    """Fresh ids until ``repeat`` is set; then every work item is ``wi-2``."""

    def __init__(self) -> None:
        self._n = itertools.count(1)
        self.repeat = False

    def new(self, kind: str) -> str:
        return "wi-2" if kind == "wi" and self.repeat else f"{kind}-{next(self._n)}"


def test_a_repeated_id_in_a_command_on_a_stored_instance_says_what_stayed_changed() -> None:
    """The id is only seen at the commit, after the command changed its (live) instance in
    place: the message said "nothing was stored" while the instance had moved on, its first
    activity completed and the next one waiting for a work item that was never stored."""
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("a", performer="clerk").activity("b", performer="clerk").end("e")
    p.sequence("s", "a", "b", "e")
    ids = RepeatsLater()
    with Engine(ids=ids) as engine:
        engine.deploy(pb.build())
        engine.start_process("ticket")  # its item is wi-2
        other = engine.start_process("ticket")
        [item] = engine.work_items(other)
        ids.repeat = True
        with pytest.raises(StoreError) as refused:
            engine.complete_work_item(item.id)
        message = str(refused.value)
        assert "work item 'wi-2' is stored already" in message
        assert "nothing was stored" not in message
        assert f"what this command did to instance {other!r} stays" in message
        assert "no rollback" in message
        states = {a.activity_id: a.state.value for a in engine.activity_instances(other)}
        assert states["a"] == "closed.completed"  # (what the message now says)
