"""An ``async def`` call abandoned at its timeout retires the shared loop without harming the
calls other callers (other threads' engines, ``wfengine worker --concurrency N``) have on it.

Retiring stopped the loop as soon as the abandoned coroutine let it, cancelling every task
left on it: another thread's call, with all its timeout to go, became the incident
``raised CancelledError:`` with an empty message.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any

from tests.applications import one_call
from wfengine import Engine, ProcessState


def _run(app: str, func: Any, timeout: float | None, out: dict[str, Any]) -> None:
    """Start one instance calling ``func`` on an engine of this thread; what came of it."""
    with Engine() as engine:
        engine.applications.register(app, func, timeout=timeout)
        engine.deploy(one_call.package(app).build())
        iid = engine.start_process("main", {"customer": 1})
        out[app] = (
            engine.instance(iid).state,
            engine.instance(iid).data["name"],
            [i.message for i in engine.incidents(iid)],
        )


def _settled(loop: asyncio.AbstractEventLoop) -> None:
    """Return once ``loop`` has run what was scheduled on it before (or it is gone)."""
    with contextlib.suppress(Exception):  # (stopped or closed: nothing more will run)
        asyncio.run_coroutine_threadsafe(asyncio.sleep(0), loop).result(10)


def test_an_abandoned_call_leaves_other_callers_calls_running() -> None:
    out: dict[str, Any] = {}
    polite_started, blocking_started, unblock = (threading.Event() for _ in range(3))
    polite_loop: list[asyncio.AbstractEventLoop] = []
    polite_gate: list[asyncio.Event] = []

    async def polite(id: int) -> dict[str, str]:
        polite_loop.append(asyncio.get_running_loop())
        polite_gate.append(asyncio.Event())
        polite_started.set()
        await polite_gate[0].wait()
        return {"name": "polite"}

    async def blocking(id: int) -> dict[str, str]:
        blocking_started.set()
        unblock.wait(30)  # a synchronous call inside async def: it holds up the loop
        return {"name": "blocking"}

    async def later(id: int) -> dict[str, str]:
        assert asyncio.get_running_loop() is not polite_loop[0]
        return {"name": "later"}

    first = threading.Thread(target=_run, args=("polite", polite, None, out), daemon=True)
    first.start()
    assert polite_started.wait(30)
    _run("blocking", blocking, 0.1, out)  # abandoned: its loop is retired
    assert blocking_started.is_set()
    _run("later", later, 30.0, out)  # the next call runs on a new loop, the old one held up
    unblock.set()
    _settled(polite_loop[0])  # the retired loop ran on past the abandoned call's end
    with contextlib.suppress(RuntimeError):  # (closed: the call was cancelled, as it was)
        polite_loop[0].call_soon_threadsafe(polite_gate[0].set)
    first.join(30)
    assert not first.is_alive()
    assert out["polite"] == (ProcessState.COMPLETED, "polite", [])
    assert out["later"] == (ProcessState.COMPLETED, "later", [])
    state, name, (incident,) = out["blocking"]
    assert (state, name) == (ProcessState.RUNNING, None)
    assert "ApplicationTimeoutError: no answer within 0.1 s" in incident
