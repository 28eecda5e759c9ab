"""An application the engine runs in a helper thread of its own (a binding with ``timeout=``,
an ``async def`` application under a running event loop) that calls back into its engine is
told what a plain application is told (it calls back into the engine that called it: return
values as OUT parameters), not to give each thread its own Engine, which it was told when the
refusal compared threads only."""

from __future__ import annotations

import asyncio
from typing import Any

from wfengine import Engine, PackageBuilder

CALLBACK = "calling back into the engine that called it"
OTHER_THREAD = "running a command in another thread"


def calc_after_work() -> PackageBuilder:
    """A person's ``work``, then the application ``calc`` (the one under test)."""
    pb = PackageBuilder("p")
    pb.application("calc")
    p = pb.process("flow")
    p.start("s")
    p.activity("work", performer="clerk")
    p.activity("calc", tool="calc")
    p.end("e")
    p.sequence("s", "work", "calc", "e")
    return pb


def _refusal(engine: Engine) -> str:
    """The incident's text after the person's work hands over to ``calc``."""
    engine.deploy(calc_after_work().build())
    pi = engine.start_process("flow")
    (item,) = engine.work_items(pi)
    engine.complete_work_item(item.id)
    (incident,) = engine.incidents(pi)
    assert incident.activity_id == "calc" and "EngineInUseError" in incident.message
    return incident.message


def test_an_application_with_a_timeout_calling_back_is_told_it_calls_back() -> None:
    with Engine() as engine:

        def calc() -> dict[str, Any]:
            engine.start_process("flow")  # from the engine's helper thread
            return {}

        engine.applications.register("calc", calc, timeout=5)
        message = _refusal(engine)
    assert CALLBACK in message and OTHER_THREAD not in message


def test_an_async_application_under_a_running_loop_calling_back_is_told_it_calls_back() -> None:
    async def host() -> str:
        with Engine() as engine:

            async def calc() -> dict[str, Any]:
                engine.start_process("flow")
                return {}

            engine.applications.register("calc", calc)  # (a loop runs: a helper thread)
            return _refusal(engine)

    message = asyncio.run(host())
    assert CALLBACK in message and OTHER_THREAD not in message
