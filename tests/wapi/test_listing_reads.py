"""A non-administrator's listing of instances (``open_process_instances_list``) holds exactly
the instances the access rule lets them read (``InstanceAccess.may_read`` of each), and asks
the store the same number of times however many instances there are. Why: it asked five
reads or more per instance, closed ones included, which made it some 80 times slower than an
administrator's on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.wapi import connect
from wfengine.worklist.instance_access import InstanceAccess


def _package() -> Any:
    """``ticket``: a clerk answers, then an accountant books; ``main`` calls ``ticket``."""
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.data_field("note", "STRING", initial="''")
    p.start("s").activity("answer", performer="clerk", writes=["note"])
    p.activity("book", performer="accountant").end("e").sequence("s", "answer", "book", "e")
    pb.process("main").subflow("sf", process="ticket")
    return pb.build()


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_package())
        yield e


def _cases(engine: Engine, n: int) -> None:
    """``n`` rounds of: a host's ticket; one alice answered (now with dan, then closed when
    booked); one dan created; a main dan created (its ticket subflow has no creator of its
    own); a host's main."""
    for _ in range(n):
        engine.start_process("ticket")
        answered = engine.start_process("ticket")
        (item,) = engine.work_items(answered)
        engine.complete_work_item(item.id, user="alice")
        if _ % 2:
            (book,) = engine.work_items(answered)
            engine.complete_work_item(book.id, user="dan")
        dan = connect(engine, "dan")
        mine = dan.create_process_instance("ticket")
        dan.start_process(mine)
        dan.start_process(dan.create_process_instance("main"))
        engine.start_process("main")


@pytest.mark.parametrize("user", ["alice", "bob", "carol", "dan", "root"])
def test_a_listing_holds_what_may_be_read(engine: Engine, user: str) -> None:
    _cases(engine, 3)
    access = InstanceAccess(engine, user)
    every = engine.instance_summaries()
    expected = [s.id for s in every if access.may_read(s.id)]
    assert [s.id for s in connect(engine, user).open_process_instances_list()] == expected
    assert expected  # (each of them reads something)


def test_the_reads_do_not_grow_with_the_instances(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    store: Any = engine.store
    for name in ("audit_events", "instance", "open_work_items", "instance_summaries"):
        original = getattr(store, name)

        def counted(*args: Any, _original: Any = original, _name: str = name, **kw: Any) -> Any:
            asked.append(_name)
            return _original(*args, **kw)

        monkeypatch.setattr(store, name, counted)
    dan = connect(engine, "dan")
    counts = []
    for _ in range(2):
        _cases(engine, 5)
        asked.clear()
        dan.open_process_instances_list()
        counts.append(len(asked))
    assert counts[0] == counts[1]
