"""An open work list hands out nothing more once the organisation no longer knows its user
(README: "A user the organisation does not know sees no work item"): it kept handing out the
rest of the batch it had read, one item a fetch, after ``engine.directory`` was replaced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.wapi import connect


@pytest.fixture(params=["memory", "sqlite"])
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.participant("clerk")
        pb.process("main").activity("w", performer="clerk")
        e.deploy(pb.build())
        for _ in range(3):
            e.start_process("main")
        yield e


def _without(user: str) -> Organisation:
    users = [u for u in ORG["users"] if u["id"] != user]  # type: ignore[attr-defined]
    return Organisation.from_data({**ORG, "users": users})


def test_a_user_who_left_is_handed_nothing_from_the_batch_read_before(desk: Engine) -> None:
    work = connect(desk, "bob").open_work_list()
    assert work.fetch() is not None  # the batch of three is read now
    desk.directory = _without("bob")
    assert work.fetch() is None
    assert list(work) == []


def test_the_others_lists_go_on(desk: Engine) -> None:
    work = connect(desk, "alice").open_work_list()
    assert work.fetch() is not None
    desk.directory = _without("bob")
    assert len(list(work)) == 2
