"""What a binding's settings promise: a timeout that bounds every attempt, whatever the
callable does, and settings checked when the application is registered."""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.applications.registry import ApplicationRegistry, make_binding
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


# The stand-ins below append to ``ended`` when they end: a call the engine abandoned has not
# ended when the run returns (it waits for the test's ``release``), whatever the machine's
# speed. Each test passes its own list: an earlier test's abandoned call ends when that
# test's ``release`` is set, and appended to one shared list while the next test ran.


def _blocking(release: threading.Event, ended: list[str]) -> Callable[..., Any]:
    async def lookup(id: int) -> dict[str, str]:
        release.wait(60)  # a synchronous client inside an async def: the loop cannot cancel it
        ended.append("blocking")
        return {"name": "late"}

    return lookup


def _stubborn(release: threading.Event, ended: list[str]) -> Callable[..., Any]:
    async def lookup(id: int) -> dict[str, str]:
        give_up = time.monotonic() + 60
        while not release.is_set() and time.monotonic() < give_up:  # swallows cancellations
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(0.02)
        ended.append("stubborn")
        return {"name": "late"}

    return lookup


@pytest.mark.parametrize("make", [_blocking, _stubborn], ids=["blocking", "ignoring-cancel"])
def test_an_async_callable_that_does_not_stop_at_its_timeout_is_abandoned(
    engine: Engine,
    release: threading.Event,
    make: Callable[[threading.Event, list[str]], Any],
) -> None:
    """A cancelled coroutine that goes on (it blocks, or swallows the cancellation) is
    abandoned as a blocking function is, a grace after the timeout, and fails as a timeout.
    Why by progress, not by the clock: the run must return while the call still waits for
    ``release`` (a wall-clock bound failed on a busy CI machine)."""
    ended: list[str] = []
    engine.applications.register("lookup", make(release, ended), timeout=0.05)
    iid = run(engine, _package(handler="ApplicationTimeoutError"))
    assert ended == []  # returned without waiting for the call: it was abandoned
    assert engine.trace(iid) == ["handle"]
    (failed,) = [e for e in engine.audit(iid) if e.kind == "application.failed"]
    assert failed.detail["error"].startswith("ApplicationTimeoutError: no answer within 0.05 s")
    assert "did not stop when cancelled" in failed.detail["error"]
    assert engine.instance(iid).data["name"] is None  # a late answer is never applied


def test_an_async_callable_cancelled_at_its_timeout_still_cleans_up(engine: Engine) -> None:
    """The grace after the timeout lets a cancelled coroutine close what it opened.

    (The grace is the timeout when under a second: half a second, fifty times what closing
    takes, so that a busy machine's scheduling does not run the grace out; at 0.05 s it did.)"""
    closed: list[str] = []

    async def lookup(id: int) -> dict[str, str]:
        try:
            await asyncio.sleep(10)
        finally:
            await asyncio.sleep(0.01)  # closing a connection
            closed.append("connection")
        return {"name": "never"}

    engine.applications.register("lookup", lookup, timeout=0.5)
    iid = run(engine, _package())
    (incident,) = engine.incidents(iid)
    assert "no answer within 0.5 s; the coroutine was cancelled" in incident.message
    assert closed == ["connection"]


@pytest.mark.parametrize(
    ("settings", "error", "named"),
    [
        ({"retries": 1.5}, TypeError, "retries must be a whole number, not 1.5"),
        ({"retries": True}, TypeError, "retries must be a whole number"),
        ({"backoff": math.nan}, ValueError, "backoff must be a finite number"),
        ({"backoff": math.inf}, ValueError, "backoff must be a finite number"),
        ({"max_backoff": math.inf}, ValueError, "max_backoff must be a finite number"),
        ({"timeout": math.nan}, ValueError, "timeout must be a finite number of seconds above 0"),
        ({"timeout": 1e300}, ValueError, "timeout must be a finite number"),
        ({"timeout": "10"}, TypeError, "timeout must be a number of seconds, not '10'"),
    ],
)
def test_register_refuses_settings_no_call_could_use_naming_the_application(
    settings: dict[str, Any], error: type[Exception], named: str
) -> None:
    """Refused when registered: accepted, the mistake surfaced only when an instance reached
    the call, as a bare exception that lost the start."""
    registry = ApplicationRegistry()
    registry.register("lookup", _fine)
    with pytest.raises(error, match=re.escape(f"application 'lookup': {named}")):
        registry.register("lookup", lambda id: None, **settings)
    binding = registry.get("lookup")
    assert binding is not None and binding.func is _fine  # the binding before is kept


def test_register_takes_any_real_number_of_seconds_as_a_float() -> None:
    registry = ApplicationRegistry()
    registry.register("lookup", _fine, retries=2, timeout=Fraction(3, 2), backoff=1)
    binding = registry.get("lookup")
    assert binding is not None
    assert (binding.retries, binding.timeout, binding.backoff) == (2, 1.5, 1.0)
    assert type(binding.timeout) is float and type(binding.backoff) is float


def test_many_retries_wait_at_most_the_longest_backoff() -> None:
    binding = make_binding("lookup", _fine, retries=10_000, backoff=0.5, max_backoff=30.0)
    assert [binding.delay(n) for n in (1, 2, 7, 1_100, 10_000)] == [0.5, 1.0, 30.0, 30.0, 30.0]


def _fine(id: int) -> None:
    return None


def test_a_backoff_longer_than_the_default_longest_wait_is_kept() -> None:
    """``backoff=60`` waited 30 s, the default longest wait, without a word."""
    binding = make_binding("lookup", _fine, retries=3, backoff=60)
    assert [binding.delay(n) for n in (1, 2, 3)] == [60.0, 60.0, 60.0]
    doubled = make_binding("lookup", _fine, retries=3, backoff=60, max_backoff=600)
    assert [doubled.delay(n) for n in (1, 2, 3)] == [60.0, 120.0, 240.0]
    assert make_binding("lookup", _fine, backoff=0.5).max_backoff == 30.0  # as before


def test_a_longest_wait_below_the_first_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"'lookup': max_backoff \(10 s\) is below backoff \(60 s\)"
    ):
        make_binding("lookup", _fine, backoff=60, max_backoff=10)


def test_a_definition_sets_its_longest_wait_and_keeps_a_long_backoff() -> None:
    from wfengine.definition.model import ExtendedAttribute

    registry = ApplicationRegistry()
    registry.allow_agent("echo", lambda settings: lambda id: None)
    pb = PackageBuilder("pkg")
    pb.application("lookup", params=[("id", "IN", "INTEGER")])
    package = pb.build()
    [application] = package.applications
    ext = {"wfengine:agent": "echo", "wfengine:backoff": "600"}
    attrs = tuple(ExtendedAttribute(name=k, value=v) for k, v in ext.items())
    plain = registry.resolve(application.model_copy(update={"extended_attributes": attrs}))
    assert plain is not None and plain.delay(1) == 600.0  # was cut to 30
    longest = (*attrs, ExtendedAttribute(name="wfengine:max-backoff", value="1200"))
    found = registry.resolve(application.model_copy(update={"extended_attributes": longest}))
    assert found is not None and [found.delay(n) for n in (1, 2, 3)] == [600.0, 1200.0, 1200.0]
