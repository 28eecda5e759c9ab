"""An ``async def`` application that drives another engine, whose process calls an ``async
def`` application, runs: the inner call is made from the shared loop's own thread.

Sent to the shared loop, the inner call waited for the thread that waited for it: with no
timeout the command never returned; with one the inner call was abandoned and the outer one
became an incident blaming its own coroutine.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from wfengine import Engine, PackageBuilder, ProcessState


def _package(name: str, app: str) -> PackageBuilder:
    pb = PackageBuilder(name)
    pb.application(app, params=[("id", "IN", "INTEGER"), ("name", "OUT", "STRING")])
    p = pb.process("main")
    p.data_field("customer", "INTEGER", initial="7").data_field("name", "STRING")
    p.activity("call", tool=app, args=["customer", "name"])
    return pb


@pytest.mark.parametrize("timeout", [None, 20.0])
def test_an_async_application_driving_an_engine_that_calls_one_completes(
    timeout: float | None,
) -> None:
    async def leaf(id: int) -> dict[str, str]:
        await asyncio.sleep(0)
        return {"name": f"leaf {id}"}

    async def middle(id: int) -> dict[str, str]:  # nested once more: a third level
        iid = inner.start_process("main", {"customer": id})
        return {"name": f"via {inner.instance(iid).data['name']}"}

    async def outer_app(id: int) -> dict[str, str]:
        iid = between.start_process("main", {"customer": id})  # a synchronous engine call
        return {"name": between.instance(iid).data["name"]}

    outcome: dict[str, object] = {}
    inner, between, outer = Engine(), Engine(), Engine()
    inner.applications.register("leaf", leaf, timeout=timeout)
    inner.deploy(_package("inner", "leaf").build())
    between.applications.register("middle", middle, timeout=timeout)
    between.deploy(_package("between", "middle").build())
    outer.applications.register("outer", outer_app, timeout=timeout)
    outer.deploy(_package("outer", "outer").build())

    def drive() -> None:
        iid = outer.start_process("main", {"customer": 5})
        outcome["state"] = outer.instance(iid).state
        outcome["name"] = outer.instance(iid).data["name"]
        outcome["incidents"] = [i.message for i in outer.incidents(iid)]

    driver = threading.Thread(target=drive, daemon=True)
    driver.start()
    driver.join(60)  # a safety bound only: the hang this guards against is for ever
    assert not driver.is_alive(), "the nested call never returned"
    for engine in (outer, between, inner):  # (not while a command runs: closing waits)
        engine.close()
    assert outcome == {"state": ProcessState.COMPLETED, "name": "via leaf 5", "incidents": []}
