"""What the tests of performers in multi-instance block copies share: an engine over the
test's organisation that a test reopens at will, the fixture making them, and a listing of an
activity's open work items in the order they were made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import check_history, store_url
from wfengine import Engine, Organisation, VirtualClock


class Run:
    """An engine on one store over the test's organisation, reopened at will (a database's
    instance is then read back from what was stored)."""

    def __init__(self, url: str | None, org: dict[str, Any]) -> None:
        self.url, self.org, self.clock = url, org, VirtualClock()
        self.engine = self._open()

    def _open(self) -> Engine:
        directory = Organisation.from_data(self.org)
        return Engine(clock=self.clock, db_url=self.url, directory=directory)

    def reopen(self) -> Engine:
        if self.url is not None:
            self.engine.close()
            self.engine = self._open()
        return self.engine


def runs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """The body of a ``run`` fixture parametrised by store: yields ``make(org) -> Run``, and
    checks and closes every engine made when the test ends."""
    made: list[Run] = []

    def make(org: dict[str, Any]) -> Run:
        made.append(Run(store_url(request, request.param, tmp_path), org))
        return made[-1]

    yield make
    for r in made:
        check_history(r.engine)
        r.engine.close()


def open_items(e: Engine, iid: str, activity: str) -> list[Any]:
    """The open work items of ``activity`` in instance ``iid``, oldest first."""
    return sorted(
        (w for w in e.work_items(iid) if w.activity_id == activity and w.state.is_open),
        key=lambda w: int(w.id.rpartition("-")[2]),
    )
