"""A constant initial value is judged as the engine converts it when an instance is created
(:func:`wfengine.definition.coercion.coerce`, as a script or a starter giving the same value
is): text that converts (``'2024-01-01'`` for a DATE, ``['7']`` for an INTEGER array) passes
validation and deploy, and the instance holds the converted value. Before, validation asked
for the type's own Python type and refused them (``initial-value-type``), though the same
expression converted in a script and in ``start_process``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package
from wfengine.errors import DeployError


def _package(kind: str, initial: str) -> Package:
    pb = PackageBuilder("p")
    p = pb.process("m")
    p.data_field("x", kind, is_array=initial.startswith("["), initial=initial)
    p.start("s").activity("a", performer="nobody").end("e").sequence("s", "a", "e")
    pb.participant("nobody")
    return pb.build()


def _errors(package: Package) -> list[str]:
    return [d.message for d in validate(package) if d.severity is Severity.ERROR]


@pytest.mark.parametrize(
    ("kind", "initial", "held"),
    [
        ("DATE", "['2024-01-01']", [date(2024, 1, 1)]),
        ("DATE", "'2024-01-01'", date(2024, 1, 1)),
        ("DATETIME", "['2024-01-01T10:00:00Z']", [datetime(2024, 1, 1, 10, tzinfo=UTC)]),
        ("INTEGER", "['7']", [7]),
        ("INTEGER", "'7'", 7),
        ("INTEGER", "4 / 2", 2),
        ("FLOAT", "['2.5']", [2.5]),
    ],
)
def test_text_that_converts_is_taken_and_converted(kind: str, initial: str, held: Any) -> None:
    package = _package(kind, initial)
    assert _errors(package) == []
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    value = engine.instance(engine.start_process("m")).data["x"]
    assert value == held and type(value) is type(held)


@pytest.mark.parametrize(
    ("kind", "initial", "said"),
    [
        ("INTEGER", "['x']", "whose item 0 is 'x', which is not an INTEGER, nor converts to one"),
        ("DATE", "'soon'", "is 'soon', which is not a DATE, nor converts to one"),
        ("INTEGER", "2.5", "is 2.5, which is not an INTEGER, nor converts to one"),
    ],
)
def test_a_value_that_does_not_convert_is_refused(kind: str, initial: str, said: str) -> None:
    package = _package(kind, initial)
    [message] = _errors(package)
    assert said in message
    with pytest.raises(DeployError, match="initial-value-type"):
        Engine(clock=VirtualClock()).deploy(package)
