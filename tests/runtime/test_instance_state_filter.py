"""Engine.instances(state=) and instance_summaries(state=) name the argument and the states
they take for a state that is none (as work_items_of and the WAPI session do): "runing"
was a bare "'runing' is not a valid ProcessState". A state's last word ("running") is taken
(tests/runtime/test_instances_state_words.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

ALL_STATES = (
    "open.not_running.not_started, open.running, open.not_running.suspended, "
    "closed.completed, closed.terminated, closed.aborted, "
    "not_started, running, suspended, completed, terminated, aborted"
)


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as e:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        yield e


@pytest.mark.parametrize("listing", ["instances", "instance_summaries"])
@pytest.mark.parametrize("state", ["runing", "", 5])
def test_a_state_that_is_none_is_refused_by_name(
    engine: Engine, listing: str, state: object
) -> None:
    with pytest.raises(ValueError) as caught:
        getattr(engine, listing)(state=state)
    assert str(caught.value) == f"{listing}: state must be one of {ALL_STATES}, not {state!r}"


@pytest.mark.parametrize("listing", ["instances", "instance_summaries"])
def test_a_state_or_its_value_filters(engine: Engine, listing: str) -> None:
    instance_id = engine.start_process("ticket")
    for state in (ProcessState.RUNNING, "open.running"):
        assert [i.id for i in getattr(engine, listing)(state=state)] == [instance_id]
    assert getattr(engine, listing)(state="closed.completed") == []
