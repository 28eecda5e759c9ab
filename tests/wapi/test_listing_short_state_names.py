"""``open_process_instances_list`` takes a state by its last word (``running``), as
``change_process_instance_state`` does; it refused them."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.wapi import connect


def test_listing_takes_the_short_state_words(engine: Engine) -> None:
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    session = connect(engine, "alice")
    running, waiting = (session.create_process_instance("ticket") for _ in range(2))
    session.change_process_instance_state(running, "running")

    def listed(state: str) -> list[str]:
        return [s.id for s in session.open_process_instances_list(state=state)]

    assert listed("running") == listed(ProcessState.RUNNING.value) == [running]
    assert listed("not_started") == [waiting]
    with pytest.raises(ValueError, match=r"closed.aborted, not_started, running, .*, not .open."):
        session.open_process_instances_list(state="open")
