"""An embedded engine whose SQLite file is deleted (or replaced) refuses its commands and reads.

The store keeps the connections it has open (one per thread, the rest pooled), and those still
have the old file open: a host's commands went on committing into the deleted file, returned
normally, and were lost with it. Only a new connection (the worker's, ``run_due_jobs``) was
refused. Now every command's commit and every read asks the file's guard first and raises the
worker's ``StoreUnavailableError``, naming the file, with nothing written.

What the engine wrote before is read back through hard links made before the file went: the
deleted file's contents, which a command let through would have changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.sqlite_file import guard_of

_SUFFIXES = ("", "-wal", "-shm")


def _desk() -> PackageBuilder:
    pb = PackageBuilder("desk")
    pb.participant("clerk")
    p = pb.process("ticket")
    p.start("s")
    p.activity("answer", performer="clerk")
    p.end("e")
    p.sequence("s", "answer", "e")
    return pb


def _hold(path: Path, held: Path) -> None:
    """Hard-link the database's files at ``held`` (their contents outlive their names)."""
    for suffix in _SUFFIXES:
        if Path(f"{path}{suffix}").exists():
            os.link(f"{path}{suffix}", f"{held}{suffix}")


def _remove(path: Path) -> None:
    """What an operator or a cleanup job does: the database's files are removed."""
    for suffix in _SUFFIXES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _host_calls(instance: str, item: str) -> dict[str, Callable[[Engine], Any]]:
    return {
        "start_process": lambda e: e.start_process("ticket"),
        "complete_work_item": lambda e: e.complete_work_item(item),
        "set_data": lambda e: e.set_data(instance, {"note": "x"}),
        "instance": lambda e: e.instance(instance),
        "work_items": lambda e: e.work_items(instance),
        "run_due_jobs": lambda e: e.run_due_jobs(),
    }


def _stored(held: Path) -> tuple[list[str], list[str]]:
    """The instances and the open work items' states in the database at ``held``."""
    with Engine(db_url=f"sqlite:///{held}") as engine:
        summaries = engine.instance_summaries()
        items = [i.state.value for s in summaries for i in engine.work_items(s.id)]
        return [s.id for s in summaries], items


def test_every_command_and_read_is_refused_once_the_file_is_deleted(tmp_path: Path) -> None:
    path, held = tmp_path / "desk.db", tmp_path / "held.db"
    engine = Engine(db_url=f"sqlite:///{path}")
    try:
        engine.deploy(_desk().build())
        first = engine.start_process("ticket")
        (item,) = engine.work_items(first)
        _hold(path, held)
        _remove(path)
        for name, call in _host_calls(first, item.id).items():
            with pytest.raises(StoreUnavailableError) as raised:
                call(engine)
            said = str(raised.value)
            assert f"the database file {path} was deleted while this process" in said, name
        assert not any(Path(f"{path}{s}").exists() for s in _SUFFIXES)  # none made anew
    finally:
        engine.close()
    assert not any(Path(f"{path}{s}").exists() for s in _SUFFIXES)
    # nothing went into the deleted file: one instance, its work item still offered
    assert _stored(held) == ([first], ["offered"])


def test_a_database_moved_into_its_place_is_neither_used_nor_changed(tmp_path: Path) -> None:
    path, held, other = tmp_path / "desk.db", tmp_path / "held.db", tmp_path / "other.db"
    with Engine(db_url=f"sqlite:///{other}") as elsewhere:
        elsewhere.deploy(_desk().build())  # a database the engine could work on, unnoticed
    with Engine(db_url=f"sqlite:///{path}") as engine:
        engine.deploy(_desk().build())
        first = engine.start_process("ticket")
        (item,) = engine.work_items(first)
        _hold(path, held)
        # a restore: the database's files removed, another database moved into their place
        # (only the file moved over it would leave it the old one's -wal, which SQLite reads
        # as the new file's)
        _remove(path)
        os.replace(other, path)
        for call in _host_calls(first, item.id).values():
            with pytest.raises(StoreUnavailableError, match=f"{path} was replaced by another"):
                call(engine)
    assert _stored(path) == ([], [])  # the database moved in: nothing written to it
    assert _stored(held) == ([first], ["offered"])  # nor to the one it replaced


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///file:mem?mode=memory&uri=true"])
def test_a_database_in_memory_has_no_file_to_watch(url: str) -> None:
    with Engine(db_url=url) as engine:
        engine.deploy(_desk().build())
        assert guard_of(engine.store.sa_engine) is None  # type: ignore[attr-defined]
        engine.start_process("ticket")


def test_a_kept_file_is_watched_and_works_on(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with Engine(db_url=f"sqlite:///{path}") as engine:
        engine.deploy(_desk().build())
        assert guard_of(engine.store.sa_engine) is not None  # type: ignore[attr-defined]
        first = engine.start_process("ticket")
        engine.complete_work_item(engine.work_items(first)[0].id)
        assert engine.instance(first).state.value == "closed.completed"


def test_an_asynchronous_answer_for_a_deleted_file_is_refused_at_once_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file went while an asynchronous application ran: its answer cannot be applied,
    and a deleted file does not come back, so ``run_due_jobs`` raises at once (a host's run
    waited a minute for it as for an outage, a long-running worker until stopped)."""
    from wfengine.runtime import prepared_jobs

    waits: list[object] = []
    monkeypatch.setattr(prepared_jobs, "_wait", lambda seconds, _stop: waits.append(seconds))
    path = tmp_path / "a.db"
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("work")
    p.activity("call", tool="work").activity("end").transition("call", "end")

    def work() -> None:
        for suffix in _SUFFIXES:
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    with Engine(db_url=f"sqlite:///{path}") as engine:
        engine.applications.register("work", work, asynchronous=True)
        engine.deploy(pb.build(), check_bindings=False)
        engine.start_process("main", defer=True)
        with pytest.raises(StoreUnavailableError, match=r"a\.db was deleted"):
            while engine.run_due_jobs():
                pass
    assert waits == []  # (the outage's wait, stubbed: it would have gone on for a minute)
    assert not path.exists()
