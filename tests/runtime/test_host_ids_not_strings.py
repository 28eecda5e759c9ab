"""An IdGenerator whose new() gives something else than a non-empty string (an int, as a
database sequence does): a TypeError naming Engine(ids=...) as the id is taken, on every store,
and nothing is stored. Before, the memory store stored the instance under the number and every
later listing failed for good ("object of type 'int' has no len()"); SQLite failed with a bare
"sequence item 1: expected str instance, int found" from inside the command."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder, SequentialIds, UuidIds


class DbSequence:
    """A database sequence's numbers, handed out as they come."""

    def __init__(self) -> None:
        self._n = itertools.count(1)

    def new(self, kind: str) -> object:
        return next(self._n)


class EmptyForItems:
    """Good ids, except an empty one for work items."""

    def __init__(self) -> None:
        self._fresh = SequentialIds()

    def new(self, kind: str) -> str:
        return "" if kind == "wi" else self._fresh.new(kind)


def _package() -> PackageBuilder:
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    return pb


@pytest.fixture
def url(request: pytest.FixtureRequest, store_kind: str, tmp_path: Path) -> Iterator[str | None]:
    yield store_url(request, store_kind, tmp_path)


def test_an_int_id_is_refused_naming_the_generator_and_nothing_is_stored(
    url: str | None,
) -> None:
    with Engine(ids=DbSequence(), db_url=url) as engine:  # type: ignore[arg-type]
        engine.deploy(_package().build())
        with pytest.raises(
            TypeError,
            match=r"Engine\(ids=\.\.\.\): the id generator DbSequence's new\('pi'\) gave "
            r"int 1, not a non-empty string",
        ):
            engine.start_process("ticket")
        assert engine.instance_summaries() == []
        assert list(engine.audit_events()) == []
        assert engine.work_items() == []


def test_an_empty_work_item_id_is_refused(url: str | None) -> None:
    with Engine(ids=EmptyForItems(), db_url=url) as engine:
        engine.deploy(_package().build())
        with pytest.raises(TypeError, match=r"new\('wi'\) gave str '', not a non-empty string"):
            engine.start_process("ticket")
        assert engine.instance_summaries() == []
        assert engine.work_items() == []


class NulForItems:
    """Good ids, except work-item ids holding what no store holds."""

    def __init__(self, bad: str) -> None:
        self._fresh = SequentialIds()
        self._bad = bad

    def new(self, kind: str) -> str:
        made = self._fresh.new(kind)
        return made + self._bad if kind == "wi" else made


@pytest.mark.parametrize(
    ("bad", "says"), [("\x00", "holds a NUL character"), ("\udcff", "holds a lone surrogate")]
)
def test_an_id_no_command_could_reach_is_refused_before_it_is_stored(
    url: str | None, bad: str, says: str
) -> None:
    """Every command refuses such an id as its argument (2d1ca12): an instance or item stored
    under one could never be read, completed or ended again."""
    with Engine(ids=NulForItems(bad), db_url=url) as engine:
        engine.deploy(_package().build())
        with pytest.raises(
            ValueError, match=rf"Engine\(ids=\.\.\.\): .*new\('wi'\) gave .* {says}"
        ):
            engine.start_process("ticket")
        assert engine.instance_summaries() == []
        assert engine.work_items() == []


def test_the_generators_of_the_package_are_used_as_they_are() -> None:
    for ids in (SequentialIds(), UuidIds()):
        with Engine(ids=ids) as engine:
            assert engine.ids is ids
