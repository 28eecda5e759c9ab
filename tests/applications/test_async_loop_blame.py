"""What an ``async def`` call that fails on the shared loop is told names the right cause.

A call abandoned because another application's blocking call held the loop up was told that
*its* coroutine "did not stop when cancelled (it blocks or ignores cancellation)"; a task
cancelled by something other than its caller was the incident ``raised CancelledError:``,
with no message at all.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from tests.applications import one_call
from wfengine import Engine, ProcessState


def _run(app: str, func: Any, timeout: float | None, out: dict[str, Any]) -> None:
    with Engine() as engine:
        engine.applications.register(app, func, timeout=timeout, retries=0)
        engine.deploy(one_call.package(app).build())
        iid = engine.start_process("main", {"customer": 1})
        out[app] = (engine.instance(iid).state, [i.message for i in engine.incidents(iid)])


def test_a_call_the_loop_never_began_is_not_blamed_for_ignoring_cancellation() -> None:
    out: dict[str, Any] = {}
    blocking_started, unblock = threading.Event(), threading.Event()

    async def blocking(id: int) -> dict[str, str]:
        blocking_started.set()
        unblock.wait(30)  # a synchronous call inside async def: it holds up the loop
        return {"name": "blocking"}

    async def polite(id: int) -> dict[str, str]:
        await asyncio.sleep(0)
        return {"name": "polite"}

    first = threading.Thread(target=_run, args=("blocking", blocking, None, out), daemon=True)
    first.start()
    assert blocking_started.wait(30)
    _run("polite", polite, 0.1, out)  # queued behind the blocking call, abandoned
    unblock.set()
    first.join(30)
    assert out["blocking"] == (ProcessState.COMPLETED, [])
    state, (incident,) = out["polite"]
    assert state is ProcessState.RUNNING
    assert "no answer within 0.1 s" in incident
    assert "held up by another call that blocks it" in incident
    assert "ignores cancellation" not in incident


def test_a_task_cancelled_by_something_else_says_so() -> None:
    out: dict[str, Any] = {}

    async def rogue(id: int) -> dict[str, str]:
        task = asyncio.current_task()
        assert task is not None
        task.cancel()  # as code that cancels the tasks of a loop it thinks its own does
        await asyncio.sleep(0)
        return {"name": "never"}

    _run("rogue", rogue, None, out)
    state, (incident,) = out["rogue"]
    assert state is ProcessState.RUNNING
    assert "task was cancelled by something other than the binding's timeout" in incident
