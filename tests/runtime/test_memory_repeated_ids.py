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
        with pytest.raises(ConcurrencyError, match=r"id generator \(Engine\(ids=\.\.\.\)\)"):
            engine.start_process("ticket", {"customer": "second"})
        assert [s.id for s in engine.instance_summaries()] == [first]
