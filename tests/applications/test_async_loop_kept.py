"""``async def`` applications run on one event loop that outlives each call.

Each call ran in a fresh loop (``asyncio.run``), closed when the call ended: a client an
application keeps across calls, with a pool or a background task bound to the loop it was
made on (``httpx.AsyncClient``, an ``aiohttp`` session, an ``asyncpg`` pool), worked on the
first call only; every later call was an incident ("Event loop is closed", "attached to a
different loop").
"""

from __future__ import annotations

import asyncio
import contextvars
import threading

import pytest

from wfengine import Engine, PackageBuilder, ProcessState

_TENANT: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="none")


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.application("lookup", params=[("id", "IN", "INTEGER"), ("name", "OUT", "STRING")])
    p = pb.process("main")
    p.data_field("customer", "INTEGER", initial="7").data_field("name", "STRING")
    p.activity("call", tool="lookup", args=["customer", "name"])
    return pb


class _Client:
    """A client as async libraries make them: a queue served by a task of its own, started
    on the first request and kept (a connection pool's)."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[tuple[int, asyncio.Future[str]]] | None = None
        self._server: asyncio.Task[None] | None = None

    async def ask(self, number: int) -> str:
        if self._queue is None:
            self._queue = asyncio.Queue()
            self._server = asyncio.ensure_future(self._serve(self._queue))
        elif self._server is None or self._server.get_loop() is not asyncio.get_running_loop():
            # as asyncio's own objects refuse a loop not theirs (and not hang on a dead one)
            raise RuntimeError("the client is attached to a different loop")
        answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        await self._queue.put((number, answer))
        return await answer

    def close(self) -> None:
        """Stop the client's task (from any thread), as a host closes its client."""
        if self._server is not None and not self._server.get_loop().is_closed():
            self._server.get_loop().call_soon_threadsafe(self._server.cancel)

    @staticmethod
    async def _serve(queue: asyncio.Queue[tuple[int, asyncio.Future[str]]]) -> None:
        while True:
            number, answer = await queue.get()
            answer.set_result(f"customer {number}")


@pytest.mark.parametrize("timeout", [None, 30.0])
def test_a_client_kept_across_calls_serves_every_call(timeout: float | None) -> None:
    client = _Client()

    async def lookup(id: int) -> dict[str, str]:
        return {"name": await client.ask(id)}

    with Engine() as engine:
        engine.applications.register("lookup", lookup, timeout=timeout)
        engine.deploy(_package().build())
        names = []
        for customer in (1, 2, 3):
            iid = engine.start_process("main", {"customer": customer})
            assert engine.incidents(iid) == []
            assert engine.instance(iid).state is ProcessState.COMPLETED
            names.append(engine.instance(iid).data["name"])
    client.close()
    assert names == ["customer 1", "customer 2", "customer 3"]


def test_calls_from_several_threads_and_a_running_loop_share_the_client() -> None:
    """Engines of other threads, and a host calling the engine from its own event loop, use
    the one client too; each call sees its caller's context variables."""
    client = _Client()

    async def lookup(id: int) -> dict[str, str]:
        return {"name": f"{await client.ask(id)} of {_TENANT.get()}"}

    def run(customer: int, names: dict[int, str]) -> None:
        _TENANT.set(f"tenant{customer}")
        with Engine() as engine:
            engine.applications.register("lookup", lookup)
            engine.deploy(_package().build())
            iid = engine.start_process("main", {"customer": customer})
            names[customer] = engine.instance(iid).data["name"]

    names: dict[int, str] = {}
    threads = [threading.Thread(target=run, args=(n, names)) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    async def host() -> None:  # an asyncio host calling the engine from inside its loop
        run(4, names)

    asyncio.run(host())
    client.close()
    assert names == {n: f"customer {n} of tenant{n}" for n in (1, 2, 3, 4)}
