"""Listings come in one order on every store with ids the host chooses (an IdGenerator such as
UuidIds, or case numbers): ``(created, id length, id)``, the SQL stores' order. The memory
store listed in creation order, so a keyset page (``after=``) held other instances there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder, VirtualClock

_CASES = ["case-Zulu", "case-alpha", "case-B", "case-10", "case-9"]
_LISTED = ["case-9", "case-B", "case-10", "case-Zulu", "case-alpha"]


class _HostIds:
    """Case numbers from the host's CRM for instances and work items, counters for the rest."""

    def __init__(self) -> None:
        self._cases = iter(_CASES)
        self._tasks = iter(c.replace("case", "task") for c in _CASES)
        self._n = 0

    def new(self, kind: str) -> str:
        if kind == "pi":
            return next(self._cases)
        if kind == "wi":
            return next(self._tasks)
        self._n += 1
        return f"{kind}-{self._n}"


@pytest.fixture
def host_engine(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> Iterator[Engine]:
    url = store_url(request, store_kind, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, ids=_HostIds()) as e:
        yield e


def test_instances_and_work_items_started_at_one_instant_list_alike(host_engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("clerk")
    p.start("s").activity("work", performer="clerk").end("e")
    p.sequence("s", "work", "e")
    host_engine.deploy(pb.build())
    started = [host_engine.start_process("main") for _ in _CASES]
    assert started == _CASES
    assert [i.id for i in host_engine.instances()] == _LISTED
    assert [i.id for i in host_engine.instance_summaries()] == _LISTED
    page = host_engine.instance_summaries(after="case-B", limit=2)
    assert [i.id for i in page] == ["case-10", "case-Zulu"]
    assert [w.id for w in host_engine.work_items()] == [c.replace("case", "task") for c in _LISTED]
