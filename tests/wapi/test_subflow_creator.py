"""The user who created an instance reads and controls the subflow instances it started (and
theirs, down the chain), as they do their own: a subflow instance is created by the engine,
so its own trail names no creator, and its root caller's creator was refused it, its listing
leaving it out. Others stay refused, and so does everyone for a host-created caller."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, NotAuthorizedError, Organisation, PackageBuilder, VirtualClock
from wfengine.runtime.states import ProcessState
from wfengine.wapi import connect


def _package() -> Any:
    """``main`` calls ``middle``, which calls ``check``, where a clerk looks."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("check").activity("look", performer="clerk")
    pb.process("middle").subflow("inner", process="check")
    pb.process("main").subflow("sf", process="middle")
    return pb.build()


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_package())
        yield e


def _subflows(engine: Engine) -> list[str]:
    return [s.id for p in ("middle", "check") for s in engine.instance_summaries(process_id=p)]


def test_the_creator_reads_and_controls_the_subflows_it_started(engine: Engine) -> None:
    dan = connect(engine, "dan")
    root = dan.create_process_instance("main")
    dan.start_process(root)
    middle, check = _subflows(engine)
    assert {s.id for s in dan.open_process_instances_list()} == {root, middle, check}
    assert dan.get_process_instance(check).state is ProcessState.RUNNING
    assert dan.open_activity_instances_list(middle)
    dan.change_process_instance_state(check, "open.not_running.suspended")
    assert engine.instance(check).state is ProcessState.SUSPENDED
    refused = [e for e in engine.audit(check) if e.kind == "operation.refused"]
    assert refused == []
    with pytest.raises(NotAuthorizedError, match="did not create it"):
        connect(engine, "carol").get_process_instance(middle)  # (she supervises check's clerks)


def test_no_one_is_the_creator_of_a_host_created_callers_subflows(engine: Engine) -> None:
    root = engine.start_process("main")
    middle, check = _subflows(engine)
    dan = connect(engine, "dan")
    assert dan.open_process_instances_list() == []
    for instance_id in (root, middle, check):
        with pytest.raises(NotAuthorizedError, match="may not terminate"):
            dan.terminate_process_instance(instance_id)
    assert connect(engine, "root").get_process_instance(check).state is ProcessState.RUNNING
