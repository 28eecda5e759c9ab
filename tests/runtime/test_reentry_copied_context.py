"""A thread that copied the context of an earlier command (one an application started with
``contextvars.copy_context().run`` or ``asyncio.to_thread``, living on after that command) is
not inside the command running now: calling the engine meanwhile, it is told it is a second
thread, not that it is calling back into the command that called it (each command marks its
context afresh)."""

from __future__ import annotations

import contextvars
import threading
from typing import Any

from wfengine import Engine, PackageBuilder
from wfengine.errors import EngineInUseError


def test_a_context_copied_in_an_earlier_command_is_not_inside_the_next() -> None:
    copied: list[contextvars.Context] = []
    release, running = threading.Event(), threading.Event()

    def keep() -> dict[str, Any]:
        copied.append(contextvars.copy_context())  # (a thread started now would carry it)
        return {}

    def hold() -> dict[str, Any]:
        running.set()
        assert release.wait(30)
        return {}

    pb = PackageBuilder("pkg")
    pb.application("keep").application("hold")
    pb.process("first").activity("a", tool="keep")
    pb.process("second").activity("b", tool="hold")
    refusals: list[str] = []
    with Engine() as engine:
        engine.applications.register("keep", keep)
        engine.applications.register("hold", hold)
        engine.deploy(pb.build())
        engine.start_process("first")  # a command that ended; its context was copied

        def late_thread() -> None:
            assert running.wait(30)
            try:
                copied[0].run(engine.start_process, "first")
            except EngineInUseError as exc:
                refusals.append(str(exc))
            finally:
                release.set()

        thread = threading.Thread(target=late_thread)
        thread.start()
        engine.start_process("second")  # holds the engine until the late thread asked
        thread.join(30)
    [refusal] = refusals
    assert "running a command in another thread" in refusal
    assert "calling back" not in refusal
