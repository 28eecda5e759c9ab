"""An id generator that repeats a timer (job) id, on the memory store: the new job is refused
with IdTakenError naming the id generator, as a repeated instance or work-item id is (and as
the SQL stores refuse it). Before, the second instance's job silently replaced the first
one's, whose deadline then never fired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wfengine import Engine, PackageBuilder, SequentialIds, VirtualClock
from wfengine.errors import StoreError
from wfengine.runtime.instance import Timer
from wfengine.runtime.jobs import Job, timer_job
from wfengine.runtime.memory_ids import IdTakenError, refuse_taken_ids
from wfengine.runtime.store import Step

_AT = datetime(2027, 1, 4, tzinfo=UTC)


def _timer(timer_id: str, instance_id: str) -> Timer:
    return Timer(timer_id, _AT, instance_id, "ai-1", 0, 1)


def test_a_new_timer_under_a_stored_jobs_id_is_refused_naming_its_instance() -> None:
    stored = {"tm-1": timer_job(_timer("tm-1", "pi-1"))}
    step = Step(timers_set=[_timer("tm-1", "pi-2")])
    with pytest.raises(IdTakenError, match=r"job 'tm-1' is stored already \(of 'pi-1'\)"):
        refuse_taken_ids({}, {}, step, stored)


def test_two_new_jobs_under_one_id_are_refused() -> None:
    step = Step(jobs=[Job("job-1", "continue", "pi-1", _AT), Job("job-1", "continue", "pi-2", _AT)])
    with pytest.raises(IdTakenError, match=r"job 'job-1' is stored already"):
        refuse_taken_ids({}, {}, step, {})


def test_a_job_the_step_deletes_frees_its_id() -> None:
    stored = {"tm-1": timer_job(_timer("tm-1", "pi-1"))}
    refuse_taken_ids({}, {}, Step(timers_set=[_timer("tm-1", "pi-1")], job_done="tm-1"), stored)
    refuse_taken_ids(
        {}, {}, Step(jobs=[Job("tm-1", "continue", "pi-1", _AT)], timers_cancelled=["tm-1"]), stored
    )


class RepeatsTimers:
    def __init__(self) -> None:
        self._fresh = SequentialIds()

    def new(self, kind: str) -> str:
        return "tm-1" if kind == "tm" else self._fresh.new(kind)


def test_on_the_memory_store_the_second_deadline_is_refused_and_the_first_fires() -> None:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("work", performer="clerk", deadlines=[("PT1H", "Late")])
    p.activity("notify").end("e").end("e2")
    p.sequence("s", "work", "e").transition("work", "notify", exception="Late")
    p.sequence("notify", "e2")
    clock = VirtualClock()
    with Engine(ids=RepeatsTimers(), clock=clock) as engine:
        engine.deploy(pb.build(), check_bindings=False)
        first = engine.start_process("ticket")
        with pytest.raises(StoreError, match=r"job 'tm-1' is stored already \(of 'pi-1'\)"):
            engine.start_process("ticket")
        clock.advance(timedelta(hours=2))
        states = {a.activity_id: a.state.value for a in engine.activity_instances(first)}
        assert states["notify"] == "closed.completed"
