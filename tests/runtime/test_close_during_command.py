"""``engine.close()`` from another thread while a command runs lets the command commit first.

Why: on a SQL store the store was closed under the running command (a synchronous application
call in flight): the application had run, but the rest of the command was refused ("it is
closed") and nothing of it was stored, while the memory store let it commit. Now ``close``
waits for the running command, which commits, and then closes; a command asked afterwards is
refused."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package
from wfengine.errors import IllegalStateError


class _WatchedLock:
    """The engine's command lock, telling when a thread begins to wait for it (``close``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.waited = threading.Event()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if blocking:
            self.waited.set()
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _package() -> Package:
    b = PackageBuilder("closing")
    b.application("svc", params=[("x", "OUT", "INTEGER")])
    b.participant("clerk")
    p = b.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s")
    p.activity("call", tool="svc", args=["x"])
    p.activity("after", performer="clerk")
    p.end("e")
    p.sequence("s", "call", "after", "e")
    return b.build()


@pytest.mark.parametrize("store", ["sqlite", "memory"])
def test_close_from_another_thread_lets_the_running_command_commit(
    tmp_path: Path, store: str
) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = Engine(db_url=url) if store == "sqlite" else Engine()
    lock = _WatchedLock()
    engine._command_lock = lock  # type: ignore[assignment]
    closer = threading.Thread(target=engine.close)

    def svc() -> dict[str, Any]:
        closer.start()  # the host shuts the engine down while the call is in flight
        lock.waited.wait(timeout=10)  # (close is waiting for this command by now)
        return {"x": 7}

    engine.applications.register("svc", svc)
    engine.deploy(_package())
    iid = engine.start_process("main")
    closer.join()
    assert engine.closed
    with pytest.raises(IllegalStateError, match="closed"):
        engine.start_process("main")
    if store == "sqlite":
        with Engine(db_url=url) as reopened:
            assert reopened.instance(iid).data["x"] == 7
            assert [w.activity_id for w in reopened.work_items(iid)] == ["after"]
    else:
        assert engine.instance(iid).data["x"] == 7
