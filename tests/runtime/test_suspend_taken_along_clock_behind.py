"""Whether a suspended subflow was taken along by its caller or suspended on its own is read
from its last state change by the instance's own order, not by time: an operator whose clock
runs behind the caller's (two hosts on one database, a wall clock stepped back) records a
later suspension at an earlier time, and the caller's resume undid that operator's hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wfengine import Engine, PackageBuilder, ProcessState


class SteppingClock:
    """A clock an operator's host sets back, as NTP may."""

    def __init__(self) -> None:
        self.at = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("child").activity("work", performer="clerk")
    pb.process("caller").subflow("call", process="child").activity("end").transition("call", "end")
    return pb


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
@pytest.mark.parametrize("behind", [timedelta(milliseconds=1), timedelta(minutes=5)])
def test_a_subflow_held_by_an_operator_whose_clock_is_behind_stays_suspended(
    kind: str, behind: timedelta, tmp_path: object
) -> None:
    clock = SteppingClock()
    url = None if kind == "memory" else f"sqlite:///{tmp_path}/wf.db"
    with Engine(clock=clock, db_url=url) as engine:
        engine.deploy(_package().build())
        caller = engine.start_process("caller")
        (child,) = (s.id for s in engine.instance_summaries() if s.process_id == "child")
        engine.suspend(caller, user="ops-a")  # takes the child along
        clock.at -= behind
        engine.resume(child, user="ops-b")
        engine.suspend(child, user="ops-b")  # held on its own, recorded "before" ops-a's
        clock.at += 2 * behind
        engine.resume(caller, user="ops-a")
        assert engine.instance(caller).state is ProcessState.RUNNING
        assert engine.instance(child).state is ProcessState.SUSPENDED
        (item,) = engine.work_items(child)
        with pytest.raises(Exception, match="suspended"):
            engine.claim_work_item(item.id, "clerk")
