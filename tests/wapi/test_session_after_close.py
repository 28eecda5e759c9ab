"""A session is not used after it disconnected or its engine was closed: each is refused with
an ``IllegalStateError`` (a ``ValueError`` too) naming the session, and so is its work list,
instead of acting (on a SQL store, quietly reopening the engine's connections)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import Engine, IllegalStateError, PackageBuilder, VirtualClock
from wfengine.wapi import connect


def _engine(url: str | None) -> Engine:
    engine = Engine(clock=VirtualClock(), db_url=url)
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    engine.deploy(pb.build())
    return engine


@pytest.fixture(params=["memory", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"


def test_a_work_list_stops_with_its_session(url: str | None) -> None:
    with _engine(url) as engine:
        for _ in range(2):
            engine.start_process("ticket")
        clerk = connect(engine, "clerk")
        work = clerk.open_work_list()
        assert work.fetch() is not None
        clerk.disconnect()
        with pytest.raises(IllegalStateError, match="session of 'clerk': it is disconnected"):
            work.fetch()
        with pytest.raises(ValueError, match="disconnected"):  # (what it raised before)
            clerk.open_work_list()


def test_a_session_stops_with_its_engine(url: str | None) -> None:
    engine = _engine(url)
    instance_id = engine.start_process("ticket")
    clerk = connect(engine, "clerk")
    work = clerk.open_work_list()
    engine.close()
    refused = "session of 'clerk': it is on an engine that was closed"
    with pytest.raises(IllegalStateError, match=refused):
        clerk.create_process_instance("ticket")
    with pytest.raises(IllegalStateError, match=refused):
        clerk.terminate_process_instance(instance_id)
    with pytest.raises(IllegalStateError, match=refused):
        work.fetch()
    with pytest.raises(IllegalStateError, match="closed"):
        connect(engine, "carol").open_process_definitions_list()
    assert engine.closed
    with _engine(url) as again:  # what is stored is as it was: no instance was made
        if url is not None:
            assert [i.id for i in again.instances()] == [instance_id]
            assert again.instance(instance_id).state.value == "open.running"
