"""``ApplicationRegistry(sleep=...)`` refuses, when made, a ``sleep`` that is no function
taking a number of seconds: ``sleep=5`` (meant as a wait) was taken, and every retried call
then failed with a bare ``TypeError: 'int' object is not callable`` out of the call loop (a
QA pass, repro_settings.py); an ``async def`` sleep's coroutine was never awaited, so
retries did not wait at all."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from wfengine import ApplicationRegistry, Engine, PackageBuilder


@pytest.mark.parametrize("sleep", [5, 0.5, "time.sleep", None])
def test_a_sleep_that_is_no_function_is_refused_when_made(sleep: Any) -> None:
    with pytest.raises(TypeError, match=r"^ApplicationRegistry: sleep must be a function"):
        ApplicationRegistry(sleep=sleep)


def test_an_async_sleep_is_refused_when_made() -> None:
    with pytest.raises(TypeError, match="an async function: retries wait synchronously"):
        ApplicationRegistry(sleep=asyncio.sleep)  # type: ignore[arg-type]


def test_a_recorder_still_waits_between_retries() -> None:
    waits: list[float] = []
    engine = Engine(applications=ApplicationRegistry(sleep=waits.append))
    calls: list[int] = []

    def flaky() -> None:
        calls.append(1)
        if len(calls) < 2:
            raise RuntimeError("down")

    engine.applications.register("job", flaky, retries=1, backoff=0.25)
    pb = PackageBuilder("ops")
    pb.application("job")
    p = pb.process("main")
    p.start("s")
    p.activity("act", tool="job")
    p.end("e")
    p.sequence("s", "act", "e")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    assert engine.instance(iid).state.value == "closed.completed"
    assert waits == [0.25]
