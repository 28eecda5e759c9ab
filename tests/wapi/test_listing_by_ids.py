"""A non-administrator's filtered listing of more instances than are checked one by one
(``instance_access.CHECKED_EACH``) read every creation, caller, open item and offer of the
whole SQL store, however few the filter kept (40 of 10,000 instances on SQLite: some 2.3 s,
against 0.8 ms for an administrator). It now reads them by the listed instances' ids
(``wfengine.runtime.listing_facts``): what it reads does not grow with the instances it
leaves out, and it lists what the rule lets the user read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import store_url
from tests.wapi.test_listing_reads import _cases
from tests.wapi.test_listing_reads import _package as _listing_package
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.runtime.sql import audit_rows
from wfengine.runtime.sql import rows as sql_rows
from wfengine.wapi import connect
from wfengine.worklist import instance_access
from wfengine.worklist.instance_access import InstanceAccess


def _package() -> Any:
    pb = PackageBuilder("desk")
    for process_id in ("rare", "busy"):
        p = pb.process(process_id)
        p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    return pb.build()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        yield e


def _rows_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list each audit event, work item and instance summary read from a row adds to."""
    read: list[int] = []
    for module, name in ((audit_rows, "audit_event"), (sql_rows, "work_item")):
        original = getattr(module, name)

        def counted(row: Any, *rest: Any, _original: Any = original) -> Any:
            read.append(1)
            return _original(row, *rest)

        monkeypatch.setattr(module, name, counted)
    summaries = sql_rows.summaries

    def summaries_counted(found: Any) -> Any:
        listed = summaries(found)
        read.append(len(listed))
        return listed

    monkeypatch.setattr(sql_rows, "summaries", summaries_counted)
    return read


def test_a_long_filtered_listing_reads_no_more_as_other_instances_come(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine.deploy(_package())
    rare = [engine.start_process("rare") for _ in range(instance_access.CHECKED_EACH + 8)]
    read = _rows_read(monkeypatch)
    alice = connect(engine, "alice")
    totals = []
    for _ in range(2):
        for _ in range(60):
            engine.start_process("busy")
        read.clear()
        assert [s.id for s in alice.open_process_instances_list(process_id="rare")] == rare
        totals.append(sum(read))
    assert totals[0] == totals[1]
    assert connect(engine, "dan").open_process_instances_list(process_id="rare") == []


@pytest.mark.parametrize("user", ["alice", "bob", "carol", "dan"])
def test_read_by_ids_a_listing_holds_what_may_be_read(engine: Engine, user: str) -> None:
    engine.deploy(_listing_package())
    _cases(engine, 9)  # (45 instances, subflows whose creator is their caller's among them)
    access = InstanceAccess(engine, user)
    every = engine.instance_summaries()
    assert len(every) > instance_access.CHECKED_EACH
    expected = [s.id for s in every if access.may_read(s.id)]
    assert expected
    for process_id in (None, "ticket", "main"):
        listed = connect(engine, user).open_process_instances_list(process_id=process_id)
        kept = {s.id for s in engine.instance_summaries(process_id=process_id)}
        assert [s.id for s in listed] == [i for i in expected if i in kept]
