"""A synchronous call's audit records are dated by the engine's clock as each happens, as an
asynchronous (``invoke`` job's) are: before, every attempt, failure and back-off wait of a
call that took minutes carried the time its command began, and the trail could not tell when
the call was made or answered. What the command does after the call (the activity's
completion, an incident, a timer) is dated from the call's end: the trail never goes back in
time."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.applications.registry import ApplicationRegistry

#: how long each attempt of the call takes, on the engine's clock
CALL = timedelta(minutes=1)


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.application("app", params=[("c", "OUT", "INTEGER")])
    p = pb.process("p")
    p.data_field("fc", "INTEGER", initial="0")
    p.start("s")
    p.activity("call", tool="app", args=["fc"])
    p.end("e")
    p.sequence("s", "call", "e")
    return pb


def _engine(clock: VirtualClock, url: str | None, fails: int) -> Engine:
    """An engine whose ``app`` takes :data:`CALL` per attempt and fails ``fails`` times; the
    registry's back-off waits move the clock (seconds of it), as time.sleep would pass."""
    attempts: list[datetime] = []

    def app() -> dict[str, int]:
        attempts.append(clock.now())
        clock.advance(CALL)
        if len(attempts) <= fails:
            raise RuntimeError("busy")
        return {"c": 1}

    registry = ApplicationRegistry(sleep=lambda s: clock.advance(timedelta(seconds=s)))
    registry.register("app", app, retries=2, backoff=10)
    engine = Engine(clock=clock, db_url=url, applications=registry)
    engine.deploy(_package().build())
    return engine


def _trail(engine: Engine, iid: str) -> list[tuple[str, datetime]]:
    return [(e.kind, e.at) for e in engine.audit(iid)]


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_each_attempt_and_back_off_of_a_synchronous_call_is_dated_when_it_happens(
    store: str, tmp_path: Path
) -> None:
    clock = VirtualClock()
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with _engine(clock, url, fails=2) as engine:
        t0 = clock.now()
        iid = engine.start_process("p")
        assert engine.instance(iid).state.value == "closed.completed"
        calls = [(k, at) for k, at in _trail(engine, iid) if k.startswith("application.")]
        wait1, wait2 = timedelta(seconds=10), timedelta(seconds=20)  # backoff=10, doubled
        second = t0 + CALL + wait1
        third = second + CALL + wait2
        assert calls == [
            ("application.invoked", t0),
            ("application.failed", t0 + CALL),
            ("application.invoked", second),
            ("application.failed", second + CALL),
            ("application.invoked", third),
            ("application.returned", third + CALL),
        ]
        # the rest of the command, and the trail's order, as they were
        # what the command did after the call is dated after it: the trail never goes back
        trail = _trail(engine, iid)
        assert dict(trail)["activity.completed"] == third + CALL
        assert [at for _, at in trail] == sorted(at for _, at in trail)


def test_a_call_that_fails_for_good_is_dated_when_each_attempt_failed() -> None:
    clock = VirtualClock()
    with _engine(clock, None, fails=3) as engine:
        t0 = clock.now()
        iid = engine.start_process("p")
        (incident,) = engine.incidents(iid)
        failed = [at for k, at in _trail(engine, iid) if k == "application.failed"]
        wait1, wait2 = timedelta(seconds=10), timedelta(seconds=20)
        assert failed == [t0 + CALL, t0 + 2 * CALL + wait1, t0 + 3 * CALL + wait1 + wait2]
        assert incident.attempts == 3
        # the incident is opened when the last attempt failed, not when the command began
        opened = [at for k, at in _trail(engine, iid) if k == "incident.opened"]
        assert opened == [failed[-1]]
