"""The public API's True/False flags refuse anything else with a TypeError naming the flag.

Why: a flag was taken by its truth, so ``Engine(defer_automatic="no")`` or
``start_process(..., defer="false")`` deferred all automatic work (which then never ran
without a worker) and ``Engine.from_url(url, create="no")`` created the database it was told
not to. A flag read from a settings file arrives as text; the host must convert it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.sql.store import SqlStore


def _package() -> Package:
    b = PackageBuilder("flags")
    b.participant("clerk")
    p = b.process("main")
    p.start("s")
    p.activity("a", performer="clerk")
    p.end("e")
    p.sequence("s", "a", "e")
    return b.build()


@pytest.mark.parametrize("value", ["no", "false", 0, 1, None])
def test_engine_defer_automatic_is_true_or_false(value: Any) -> None:
    with pytest.raises(TypeError, match=r"Engine: defer_automatic must be True or False"):
        Engine(defer_automatic=value)


@pytest.mark.parametrize("command", ["start", "start_process"])
def test_defer_is_true_or_false_and_nothing_starts(command: str) -> None:
    engine = Engine()
    engine.deploy(_package())
    with pytest.raises(TypeError, match=rf"{command}: defer must be True or False, not str 'no'"):
        if command == "start":
            engine.start(engine.create_instance("main"), defer="no")  # type: ignore[arg-type]
        else:
            engine.start_process("main", defer="no")  # type: ignore[arg-type]
    assert not engine.jobs()  # no continue job left for a worker that may never come
    assert all(s.state.value == "open.not_running.not_started" for s in engine.instances())


def test_the_flags_still_take_true_and_false() -> None:
    engine = Engine(defer_automatic=False)
    engine.deploy(_package(), check_bindings=True, strict=False)
    iid = engine.start_process("main", defer=False)
    assert [w.activity_id for w in engine.work_items(iid)] == ["a"]
    deferred = engine.start_process("main", defer=True)
    assert not engine.work_items(deferred)
    assert [j.kind for j in engine.jobs()] == ["continue"]


@pytest.mark.parametrize("flag", ["check_bindings", "strict"])
def test_deploy_flags_are_true_or_false(flag: str) -> None:
    engine = Engine()
    with pytest.raises(TypeError, match=rf"deploy: {flag} must be True or False, not str 'no'"):
        engine.deploy(_package(), **{flag: "no"})
    assert engine.latest("main") is None


def test_from_url_create_no_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    for url in (f"sqlite:///{path}", "memory://"):
        with pytest.raises(TypeError, match=r"Engine.from_url: create must be True or False"):
            Engine.from_url(url, create="no")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"Engine: defer_automatic must be True or False"):
            Engine.from_url(url, defer_automatic="no")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"SqlStore: create must be True or False"):
        SqlStore(f"sqlite:///{path}", create="false")  # type: ignore[arg-type]
    assert not path.exists()
