"""A new process instance and a new scope are made by functions written for their classes
(:mod:`wfengine.runtime.fresh_records`), not by the dataclass's ``__init__``: each must make
exactly what the class makes, every field set, every container its own."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from wfengine.runtime.fresh_records import _maker, new_instance, new_scope
from wfengine.runtime.instance import ProcessInstance, Scope
from wfengine.runtime.states import ProcessState

_NOW = datetime(2026, 1, 1, tzinfo=UTC)
_GIVEN = ("pi-1", "p", 3, None, ProcessState.NOT_STARTED, {"x": 1}, _NOW, "n0nce", {})


def _fields(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def test_a_fresh_instance_is_the_one_its_class_makes() -> None:
    made = new_instance(*_GIVEN)
    names = ("id", "process_id", "version", "compiled", "state", "data", "created_at")
    by_class = ProcessInstance(*_GIVEN[:7], nonce=_GIVEN[7], closing=_GIVEN[8])
    assert type(made) is ProcessInstance
    assert _fields(made) == _fields(by_class)  # (a field added to the class is set too)
    assert all(getattr(made, n) is v for n, v in zip(names, _GIVEN, strict=False))


def test_a_fresh_scope_is_the_one_its_class_makes() -> None:
    inst = new_instance(*_GIVEN)
    made = new_scope(0, None, inst, None)
    assert type(made) is Scope
    assert _fields(made) == _fields(Scope(0, None, inst, None))  # type: ignore[arg-type]


def test_each_fresh_record_has_containers_of_its_own() -> None:
    first, second = new_instance(*_GIVEN), new_instance(*_GIVEN)
    for f in dataclasses.fields(ProcessInstance):
        if f.default_factory is not dataclasses.MISSING:
            assert getattr(first, f.name) is not getattr(second, f.name), f.name
    one, other = new_scope(0, None, first, None), new_scope(1, None, first, None)
    for f in dataclasses.fields(Scope):
        if f.default_factory is not dataclasses.MISSING:
            assert getattr(one, f.name) is not getattr(other, f.name), f.name


def test_a_field_with_no_default_must_be_given() -> None:
    @dataclasses.dataclass(slots=True)
    class Two:
        a: int
        b: int
        c: list[int] = dataclasses.field(default_factory=lambda: [7])

    with pytest.raises(TypeError, match=r"Two\.b has no default"):
        _maker(Two, ("a",))
    made = _maker(Two, ("a", "b"))(1, 2)
    assert made == Two(1, 2) and made.c == [7]
