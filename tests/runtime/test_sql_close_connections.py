"""``engine.close()`` on a SQL store: afterwards nothing opens a connection again. Before, a
read on the closed engine quietly reopened the pool (its SQLite ``-wal`` and ``-shm`` files
back), and a command still running in another thread when ``close()`` was called kept its
connection checked out for good, files and all, out of ``close()``'s reach."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.errors import IllegalStateError


def _package() -> Any:
    pb = PackageBuilder("t")
    pb.application("hold")
    p = pb.process("p")
    p.start("s").activity("h", performer="clerk").end("e").sequence("s", "h", "e")
    q = pb.process("held")
    q.start("s").activity("x", tool="hold").activity("h", performer="clerk").end("e")
    q.sequence("s", "x", "h", "e")
    return pb.build()


def _sidecars(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name != "wf.db")


def test_a_read_on_a_closed_engine_is_refused_and_opens_nothing(tmp_path: Path) -> None:
    engine = Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}")
    engine.deploy(_package())
    pi = engine.start_process("p")
    engine.close()
    assert _sidecars(tmp_path) == []

    for read in (engine.instance_summaries, engine.work_items, lambda: engine.instance(pi)):
        closed = r"it is closed \(engine.close\(\) of the last engine on it, or store.close\(\)\)"
        with pytest.raises(IllegalStateError, match=closed):
            read()
    assert _sidecars(tmp_path) == []


def test_a_command_running_as_its_engine_closes_keeps_no_connection(tmp_path: Path) -> None:
    engine = Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}")
    inside, go = threading.Event(), threading.Event()

    def hold() -> dict[str, Any]:
        inside.set()
        assert go.wait(30)
        return {}

    engine.applications.register("hold", hold)
    engine.deploy(_package())
    outcome: list[BaseException | str] = []

    def run() -> None:
        try:
            outcome.append(engine.start_process("held"))
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    assert inside.wait(30)  # the command is under way, its connection checked out
    # close waits for the running command to commit: it runs beside it, and the call is let
    # go once close has begun (its first step marks the engine closed)
    closer = threading.Thread(target=engine.close)
    closer.start()
    while not engine._closed and closer.is_alive():
        closer.join(0.001)
    go.set()
    closer.join(30)
    thread.join(30)
    assert not closer.is_alive() and not thread.is_alive()

    assert len(outcome) == 1 and isinstance(outcome[0], str), outcome  # it committed
    assert _sidecars(tmp_path) == []  # every connection closed: SQLite removed its files
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as reader:
        reader.instance_summaries()  # the database is whole
