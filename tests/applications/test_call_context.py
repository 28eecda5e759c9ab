"""An application sees the host's context variables (a tenant, a request id, a tracing span)
whatever its binding: they were lost as soon as the binding had a timeout, which runs the
call in a worker thread (a thread starts with an empty context)."""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

import pytest

from wfengine.applications.calling import call_application
from wfengine.applications.registry import make_binding
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine

tenant: contextvars.ContextVar[str | None] = contextvars.ContextVar("tenant", default=None)


def _sync(x: int) -> dict[str, Any]:
    return {"y": tenant.get()}


async def _async(x: int) -> dict[str, Any]:
    return {"y": tenant.get()}


def _call(func: Any, timeout: float | None) -> Any:
    binding = make_binding("app", func, timeout=timeout)
    events: list[Any] = []
    return call_application(binding, {"x": 1}, "k", sleep=lambda s: None, record=events.append)


@pytest.mark.parametrize("func", [_sync, _async], ids=["sync", "async"])
@pytest.mark.parametrize("timeout", [None, 30.0], ids=["no timeout", "timeout"])
def test_the_call_sees_the_callers_context_variables(func: Any, timeout: float | None) -> None:
    token = tenant.set("acme")
    try:
        assert _call(func, timeout) == {"y": "acme"}
    finally:
        tenant.reset(token)


def test_an_async_application_called_from_a_running_loop_sees_them() -> None:
    """Without a timeout, an ``async def`` application called from code that runs an event
    loop runs its own loop in a worker thread: it sees the caller's context too."""

    async def host() -> Any:
        tenant.set("acme")  # (the task's own context)
        return _call(_async, None)

    assert asyncio.run(host()) == {"y": "acme"}


def test_an_engine_call_with_a_timeout_sees_them() -> None:
    pb = PackageBuilder("p")
    pb.application("app", params=[("x", "IN", "INTEGER"), ("y", "OUT", "STRING")])
    p = pb.process("proc")
    p.data_field("a", "INTEGER")
    p.data_field("b", "STRING")
    p.start("s")
    p.activity("t", tool="app", args=["a", "b"])
    p.end("e")
    p.sequence("s", "t", "e")
    engine = Engine()
    engine.applications.register("app", _sync, timeout=30)
    engine.deploy(pb.build())
    token = tenant.set("acme")
    try:
        iid = engine.start_process("proc", {"a": 1})
    finally:
        tenant.reset(token)
    assert engine.instance(iid).data["b"] == "acme"
