"""``engine.close()`` called by an application the engine runs in a helper thread of its own (a
binding with ``timeout=``) closes at once, as from an application in the command's thread:
before, ``close`` compared threads, took the helper for another thread and waited for the
command, which waited for the helper, until the call was abandoned at its timeout (the
application's work was lost, and its activity parked)."""

from __future__ import annotations

import threading
from typing import Any

from tests.runtime.test_reentry_helper_thread import calc_after_work
from wfengine import Engine
from wfengine.runtime.states import ProcessState


def test_an_application_with_a_timeout_closes_its_engine_at_once() -> None:
    engine = Engine()
    seen: list[str] = []

    def calc() -> dict[str, Any]:
        seen.append(threading.current_thread().name)
        engine.close()  # (waited for the command that waits for this call)
        seen.append("closed")
        return {}

    # a timeout the call never reaches when close returns at once; the old code waited it out
    engine.applications.register("calc", calc, timeout=60)
    engine.deploy(calc_after_work().build())
    pi = engine.start_process("flow")
    (item,) = engine.work_items(pi)
    engine.complete_work_item(item.id)
    assert seen[1:] == ["closed"] and seen[0] != threading.current_thread().name
    assert engine.instance(pi).state is ProcessState.COMPLETED  # the call's answer taken
