"""Reads of one in-memory instance from another thread while the engine's thread changes it
(README: reads from another thread work on the memory store): ``activity_instances`` and
``work_item_data`` went over the instance's live dicts while making a snapshot of each entry,
and raised ``RuntimeError: dictionary changed size during iteration`` when a command added an
activity instance or a field meanwhile. Now they go over a copy taken at once."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.runtime import queries


def _engine() -> tuple[Engine, str]:
    pb = PackageBuilder("t")
    pb.participant("clerk")
    p = pb.process("p")
    p.data_field("amount", "INTEGER", initial="1")
    p.data_field("note", "STRING", initial="''")
    p.start("s")
    p.route("fork", split="Parallel")
    p.activity("a", performer="clerk")
    p.activity("b", performer="clerk")
    p.route("join", join="Parallel")
    p.end("e")
    p.sequence("s", "fork")
    p.transition("fork", "a")
    p.transition("fork", "b")
    p.transition("a", "join")
    p.transition("b", "join")
    p.sequence("join", "e")
    engine = Engine()
    engine.deploy(pb.build())
    return engine, engine.start_process("p")


def _read_while(
    read: Callable[[], Any], change: Callable[[], None], where: Any, name: str
) -> list[Any]:
    """Run ``read`` in another thread; its first call of ``where.name`` (a step of the read,
    patched) waits while this thread makes ``change``. Returns what the read gave or raised."""
    inside, go_on = threading.Event(), threading.Event()
    out: list[Any] = []
    pause = getattr(where, name)

    def paused(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name == "reader" and not inside.is_set():
            inside.set()
            assert go_on.wait(30)
        return pause(*args, **kwargs)

    def run() -> None:
        try:
            out.append(read())
        except BaseException as exc:
            out.append(exc)

    reader = threading.Thread(target=run, name="reader")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(where, name, paused)
        reader.start()
        assert inside.wait(30)
        change()
        go_on.set()
        reader.join(30)
    return out


def test_activity_instances_while_a_command_adds_one() -> None:
    engine, pi = _engine()
    item = next(w for w in engine.work_items(pi) if w.activity_id == "a")
    before = engine.activity_instances(pi)
    [got] = _read_while(
        lambda: engine.activity_instances(pi),
        lambda: engine.complete_work_item(item.id),  # the join's activity instance is added
        queries,
        "activity_snapshot",
    )
    assert not isinstance(got, BaseException), got
    assert {s.id for s in got} >= {s.id for s in before}


def test_work_item_data_while_the_instance_gains_a_field() -> None:
    engine, pi = _engine()
    item = engine.work_items(pi)[0]
    data = engine.store.instance(pi).data
    copier = _CopyModule()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(queries, "copy", copier)
        [got] = _read_while(
            lambda: engine.work_item_data(item.id),
            lambda: data.__setitem__("added", 1),  # (as a command in another thread adds one)
            copier,
            "deepcopy",
        )
    assert not isinstance(got, BaseException), got
    assert got.values["amount"] == 1


class _CopyModule:
    """Stands for the ``copy`` module in :mod:`queries`, so its ``deepcopy`` can be paused
    there only (not everywhere the ``copy`` module is used)."""

    def __init__(self) -> None:
        self.deepcopy = copy.deepcopy
