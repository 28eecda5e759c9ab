"""A command on a closed engine is refused (IllegalStateError), fire_due_timers too, whatever
the clock. On a VirtualClock it returned 0 silently (so that a clock's move in another thread
reaching an engine closed meanwhile raised nothing): the clock now calls a callback of its
own, which does nothing on a closed engine, and a direct call is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine import Engine, IllegalStateError, SystemClock, VirtualClock


@pytest.mark.parametrize("clock", [VirtualClock(), SystemClock()], ids=type)
def test_fire_due_timers_on_a_closed_engine_is_refused(clock: VirtualClock | SystemClock) -> None:
    engine = Engine(clock=clock)
    engine.close()
    with pytest.raises(IllegalStateError, match="closed"):
        engine.fire_due_timers()
    with pytest.raises(IllegalStateError, match="closed"):
        engine.run_due_jobs()


def test_a_virtual_clock_moving_after_close_calls_nothing() -> None:
    clock = VirtualClock()
    engine = Engine(clock=clock)
    engine.close()
    clock.advance(timedelta(hours=1))  # not raised: the engine unsubscribed
    assert engine.closed
