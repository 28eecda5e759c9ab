"""What a binding's settings promise: a timeout that bounds every attempt, whatever the
callable does, and settings checked when the application is registered."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Lets callables that hang finish when the test ends, so no thread outlives it long."""
    event = threading.Event()
    yield event
    event.set()


def _package(handler: str | None = None) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.application("lookup", params=[("id", "IN", "INTEGER"), ("name", "OUT", "STRING")])
    p = pb.process("main")
    p.data_field("customer", "INTEGER", initial="7").data_field("name", "STRING")
    p.activity("call", tool="lookup", args=["customer", "name"])
    p.activity("after").transition("call", "after")
    if handler:
        p.activity("handle").transition("call", "handle", exception=handler)
    return pb


def _blocking(release: threading.Event) -> Callable[..., Any]:
    async def lookup(id: int) -> dict[str, str]:
        release.wait(3)  # a synchronous client inside an async def: the loop cannot cancel it
        return {"name": "late"}

    return lookup


def _stubborn(release: threading.Event) -> Callable[..., Any]:
    async def lookup(id: int) -> dict[str, str]:
        give_up = time.monotonic() + 3
        while not release.is_set() and time.monotonic() < give_up:  # swallows cancellations
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(0.02)
        return {"name": "late"}

    return lookup


@pytest.mark.parametrize("make", [_blocking, _stubborn], ids=["blocking", "ignoring-cancel"])
def test_an_async_callable_that_does_not_stop_at_its_timeout_is_abandoned(
    engine: Engine, release: threading.Event, make: Callable[[threading.Event], Any]
) -> None:
    """A cancelled coroutine that goes on (it blocks, or swallows the cancellation) is
    abandoned as a blocking function is, a grace after the timeout, and fails as a timeout."""
    engine.applications.register("lookup", make(release), timeout=0.05)
    began = time.monotonic()
    iid = run(engine, _package(handler="ApplicationTimeoutError"))
    assert time.monotonic() - began < 2.5
    assert engine.trace(iid) == ["handle"]
    (failed,) = [e for e in engine.audit(iid) if e.kind == "application.failed"]
    assert failed.detail["error"].startswith("ApplicationTimeoutError: no answer within 0.05 s")
    assert "did not stop when cancelled" in failed.detail["error"]
    assert engine.instance(iid).data["name"] is None  # a late answer is never applied


def test_an_async_callable_cancelled_at_its_timeout_still_cleans_up(engine: Engine) -> None:
    """The grace after the timeout lets a cancelled coroutine close what it opened."""
    closed: list[str] = []

    async def lookup(id: int) -> dict[str, str]:
        try:
            await asyncio.sleep(10)
        finally:
            await asyncio.sleep(0.01)  # closing a connection
            closed.append("connection")
        return {"name": "never"}

    engine.applications.register("lookup", lookup, timeout=0.05)
    iid = run(engine, _package())
    (incident,) = engine.incidents(iid)
    assert "no answer within 0.05 s; the coroutine was cancelled" in incident.message
    assert closed == ["connection"]
