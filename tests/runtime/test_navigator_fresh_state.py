"""A navigator starts each command with state of its own: its Step, whose fields it sets
without the dataclass's ``__init__``, and its progress watch, made when first asked
(:mod:`wfengine.runtime.navigation.base`)."""

from __future__ import annotations

import dataclasses

import pytest

from wfengine import Engine
from wfengine.runtime.navigation import Navigator
from wfengine.runtime.progress import ProgressWatch
from wfengine.runtime.store import Step


def _navigator() -> Navigator:
    engine = Engine()
    return Navigator(engine, engine.clock.now())


def test_the_step_has_every_field_of_a_new_step() -> None:
    """A field added to Step with a default must be set by the navigator too (else reading it
    fails, or it starts with another value than Step() gives it)."""
    made = _navigator().step
    fresh = Step()
    for f in dataclasses.fields(Step):
        assert getattr(made, f.name) == getattr(fresh, f.name), f.name
    assert type(made) is Step


def test_each_navigator_has_a_step_of_its_own() -> None:
    first, second = _navigator(), _navigator()
    first.step.work_items.append(object())  # type: ignore[arg-type]
    first.step.outbox.append(object())  # type: ignore[arg-type]
    assert second.step.work_items == [] and second.step.outbox == []
    assert first.step.instances is not second.step.instances


def test_the_progress_watch_is_made_once_per_navigator() -> None:
    first, second = _navigator(), _navigator()
    watch = first.watch
    assert isinstance(watch, ProgressWatch)
    watch.calls += 1
    assert first.watch is watch and first.watch.calls == 1  # kept: counted calls stay
    assert second.watch is not watch and second.watch.calls == 0


def test_a_command_calling_an_application_makes_no_watch_to_count_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Application calls are counted on the navigator (``calls``), not on a progress watch
    made for the count: a command of a few steps never looks, so it needs none."""
    from wfengine.definition.builder import PackageBuilder
    from wfengine.runtime.navigation import base

    made = []

    class Counted(ProgressWatch):
        __slots__ = ()

        def __init__(self) -> None:
            made.append(self)
            super().__init__()

    monkeypatch.setattr(base, "ProgressWatch", Counted)
    pb = PackageBuilder("pkg")
    pb.application("ping")
    p = pb.process("main")
    p.start("s").activity("call", tool="ping").end("e")
    p.transition("s", "call").transition("call", "e")
    engine = Engine()
    engine.applications.register("ping", lambda: None)
    engine.deploy(pb.build())
    assert engine.trace(engine.start_process("main")).count("call") == 1
    assert made == []
    nav = _navigator()
    nav.calls += 1
    assert nav.calls == 1 and _navigator().calls == 0  # (each navigator counts its own)


def test_calls_counted_on_the_navigator_are_progress_the_watch_sees() -> None:
    """A loop whose only progress is an application call (its data never changes) is no
    cycle without progress: the watch reads the navigator's count when it looks, and the
    loop runs on until the step budget ends it (with the watch blind to the calls, it was
    parked as a cycle at its first comparison)."""
    from wfengine.definition.builder import PackageBuilder
    from wfengine.runtime.limits import RuntimeLimits
    from wfengine.runtime.progress import WATCH_FROM

    calls = []
    pb = PackageBuilder("pkg")
    pb.application("ping")
    p = pb.process("main")
    p.start("s").activity("call", tool="ping").route("r", gateway="Exclusive").end("e")
    p.transition("s", "call").transition("call", "r")
    p.transition("r", "call", condition="True").transition("r", "e", otherwise=True)
    steps = 8 * WATCH_FROM
    engine = Engine(limits=RuntimeLimits(max_steps=steps))
    engine.applications.register("ping", lambda: calls.append(1))
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert "loops without progress" not in incident.message
    assert f"more than {steps} automatic steps" in incident.message
    assert len(calls) > 2 * WATCH_FROM
