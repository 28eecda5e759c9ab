"""A navigator starts each command with state of its own: its Step, whose fields it sets
without the dataclass's ``__init__``, and its progress watch, made when first asked
(:mod:`wfengine.runtime.navigation.base`)."""

from __future__ import annotations

import dataclasses

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
