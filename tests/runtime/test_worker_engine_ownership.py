"""Which engines a :class:`Worker` closes: those ``make_engine`` constructs, not the host's.

``Worker(lambda: engine, until_idle=True).run()`` used to close the host's engine: afterwards
sessions on it were refused (SessionEndedError) and its virtual clock no longer fired timers.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, Worker, connect, deadline


def _desk() -> PackageBuilder:
    """A clerk's activity with a one-hour deadline that leads to ``chase``."""
    pb = PackageBuilder("desk")
    p = pb.process("t")
    p.start("s")
    p.activity("a", performer="clerk", deadlines=[deadline("PT1H", "late")])
    p.activity("chase")
    p.end("e")
    p.end("e2")
    p.sequence("s", "a", "e")
    p.transition("a", "chase", exception="late")
    p.transition("chase", "e2")
    return pb


def test_the_hosts_engine_stays_open_after_a_worker_ran_on_it() -> None:
    clock = VirtualClock()
    engine = Engine(clock=clock)
    engine.deploy(_desk().build())
    iid = engine.start_process("t", defer=True)  # the automatic work is left to a worker

    Worker(lambda: engine, until_idle=True).run()

    assert not engine.closed
    assert [w.activity_id for w in connect(engine, "clerk").open_work_list()] == ["a"]
    clock.advance(timedelta(hours=2))  # its timers still fire: the deadline is taken
    assert engine.trace(iid) == ["s", "chase", "e2"]


def test_engines_the_factory_constructs_are_closed(tmp_path: Path) -> None:
    made: list[Engine] = []

    def make() -> Engine:
        engine = Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}")
        made.append(engine)
        return engine

    Worker(make, concurrency=2, until_idle=True).run()

    assert len(made) == 2
    assert all(engine.closed for engine in made)


def test_one_engine_given_to_two_threads_is_refused_by_name() -> None:
    engine = Engine()
    worker = Worker(lambda: engine, concurrency=2, poll=0.05)
    with pytest.raises(ValueError, match="same Engine to two threads"):
        worker.run()
    assert not engine.closed
