"""A state a session cannot take (misspelt, or not one it moves to) is a ``ValueError`` naming
the operation, the argument and the states it takes, not a bare enum error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, WorkItemState
from wfengine.wapi import Session, connect


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s, i, w: s.change_process_instance_state(i, "runing"),
            "change_process_instance_state: state must be one of running, suspended, "
            "terminated, aborted, open.running, open.not_running.suspended, "
            "closed.terminated, closed.aborted, not 'runing'",
        ),
        (
            lambda s, i, w: s.change_process_instance_state(i, "closed.completed"),
            "change_process_instance_state: an instance cannot be moved to closed.completed "
            "from outside; state must be one of running, suspended, terminated, aborted, "
            "open.running",
        ),
        (
            lambda s, i, w: s.open_process_instances_list(state="open"),
            "open_process_instances_list: state must be one of open.not_running.not_started, "
            "open.running",
        ),
        (
            lambda s, i, w: s.change_work_item_state(w, "claimed"),
            "change_work_item_state: state must be one of allocated, started, offered, "
            "completed, not 'claimed'",
        ),
    ],
)
def test_a_state_names_the_argument_and_the_states_taken(
    engine: Engine, call: Callable[[Session, str, str], Any], message: str
) -> None:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    engine.deploy(pb.build())
    instance_id = engine.start_process("ticket")
    [item] = engine.work_items(instance_id)
    with pytest.raises(ValueError) as info:
        call(connect(engine, "clerk"), instance_id, item.id)
    assert message in str(info.value)
    assert engine.instance(instance_id).state.value == "open.running"  # nothing changed
    assert engine.work_item(item.id).state is WorkItemState.OFFERED
