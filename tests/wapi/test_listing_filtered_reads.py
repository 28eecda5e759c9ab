"""A non-administrator's filtered listing (``open_process_instances_list(process_id=...)``)
read every creation, caller, open item and offer of the whole store, however few instances
the filter kept (one instance among 1,500 others: some 30 times slower than asking for it
alone). A short listing is now checked instance by instance, so what it reads does not grow
with the instances it leaves out; a long one is read for all at once; both answer alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.wapi.test_listing_reads import _cases
from tests.wapi.test_listing_reads import _package as _listing_package
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.wapi import connect
from wfengine.worklist import instance_access
from wfengine.worklist.instance_access import InstanceAccess


def _package() -> Any:
    pb = PackageBuilder("desk")
    for process_id in ("rare", "busy"):
        p = pb.process(process_id)
        p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    return pb.build()


@pytest.fixture(params=["memory", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"


@pytest.fixture
def engine(url: str | None) -> Iterator[Engine]:
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        yield e


def _rows_read(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that each store read appends the number of rows it returned to."""
    rows: list[int] = []
    store: Any = engine.store
    for name in ("audit_events", "open_work_items", "instance_summaries", "work_item"):
        original = getattr(store, name)

        def counted(*args: Any, _original: Any = original, **kw: Any) -> Any:
            found = _original(*args, **kw)
            rows.append(len(found) if isinstance(found, list) else 1)
            return found

        monkeypatch.setattr(store, name, counted)
    return rows


def test_a_filtered_listing_reads_no_more_as_other_instances_come(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine.deploy(_package())
    rare = engine.start_process("rare")
    rows = _rows_read(engine, monkeypatch)
    alice = connect(engine, "alice")
    read = []
    for _ in range(2):
        for _ in range(instance_access.CHECKED_EACH + 8):
            engine.start_process("busy")
        rows.clear()
        assert [s.id for s in alice.open_process_instances_list(process_id="rare")] == [rare]
        read.append(sum(rows))
    assert read[0] == read[1]
    assert [
        s.id for s in connect(engine, "dan").open_process_instances_list(process_id="rare")
    ] == []


@pytest.mark.parametrize("each", [0, 10_000])
@pytest.mark.parametrize("user", ["alice", "bob", "carol", "dan"])
def test_one_by_one_and_all_at_once_answer_alike(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, user: str, each: int
) -> None:
    engine.deploy(_listing_package())
    _cases(engine, 3)
    access = InstanceAccess(engine, user)
    every = engine.instance_summaries()
    expected = [s.id for s in every if access.may_read(s.id)]
    monkeypatch.setattr(instance_access, "CHECKED_EACH", each)
    for process_id in (None, "ticket", "main"):
        listed = connect(engine, user).open_process_instances_list(process_id=process_id)
        kept = {s.id for s in engine.instance_summaries(process_id=process_id)}
        assert [s.id for s in listed] == [i for i in expected if i in kept]
