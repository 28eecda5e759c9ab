"""A start refused because every validity period of the process has ended (its versions'
ValidTo passed) says what to do, deploy a new version: before, it named the periods only,
and the host could not tell whether waiting would help. A period that starts later is not
over (waiting helps), and is not told to deploy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.runtime.test_validity_period import _package
from wfengine.errors import IllegalStateError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def test_every_period_over_says_deploy_a_new_version(engine: Engine, clock: VirtualClock) -> None:
    engine.deploy(_package(None, "2000-01-15"))  # the clock stands at 2000-01-01
    engine.deploy(_package("2000-01-10", "2000-01-20", activity="other"))
    clock.advance(timedelta(days=30))
    with pytest.raises(IllegalStateError) as refused:
        engine.start_process("p")
    assert "every version's validity period is over: deploy a new version" in str(refused.value)
    with pytest.raises(IllegalStateError, match="its validity period is over: start the"):
        engine.start_process("p", version=1)


def test_a_period_still_to_come_is_not_told_to_deploy(engine: Engine, clock: VirtualClock) -> None:
    engine.deploy(_package(None, "2000-01-15"))
    engine.deploy(_package("2000-03-01", None, activity="other"))
    clock.advance(timedelta(days=30))
    with pytest.raises(IllegalStateError) as refused:
        engine.start_process("p")
    assert "over" not in str(refused.value)
    assert "valid from 2000-03-01" in str(refused.value)
    with pytest.raises(IllegalStateError) as early:
        engine.start_process("p", version=2)
    assert "over" not in str(early.value)


def test_an_instance_created_within_the_period_starts_after_it_is_over(
    engine: Engine, clock: VirtualClock
) -> None:
    """The period is checked at creation (docs/semantics.md): a created instance is kept, and its
    start goes on once ValidTo has passed, on the version it was created on."""
    engine.deploy(_package(None, "2000-01-31"))  # the clock stands at 2000-01-01
    iid = engine.create_instance("p")
    clock.advance(timedelta(days=40))
    with pytest.raises(IllegalStateError, match="until 2000-02-01"):
        engine.create_instance("p")
    engine.start(iid)
    assert engine.instance(iid).state is ProcessState.RUNNING
    assert [item.activity_id for item in engine.work_items(iid)] == ["work"]
