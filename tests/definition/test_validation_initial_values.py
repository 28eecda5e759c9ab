"""A data field's initial value is what every instance starts with: validation refuses
(``initial-value-type``, an error, so deploy refuses it too) one that is not a value of the
field's type, an enumeration's among them, and a constant one whose computation fails, on
which every instance creation would fail.

Before, an enumeration field's initial value outside its values was accepted everywhere
(every instance started holding what ``start_process`` refuses with ``DataTypeError``), and a
constant that could not be computed (``3**4095``, ``1/0``) validated clean and deployed."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import DeclaredType, EnumerationType, Package
from wfengine.errors import DataTypeError, DeployError


def _fields(*fields: tuple[str, object, str]) -> Package:
    pb = PackageBuilder("p")
    pb.type_declaration("Priority", EnumerationType(values=("low", "high")))
    pb.type_declaration("Level", DeclaredType(id="Priority"))  # a declared type of it
    p = pb.process("x")
    for field_id, data_type, initial in fields:
        p.data_field(field_id, data_type, initial=initial)  # type: ignore[arg-type]
    p.start("s").end("e").sequence("s", "e")
    return pb.build()


def _errors(package: Package) -> list[tuple[str, str | None]]:
    return [(d.code, d.element_id) for d in validate(package) if d.severity is Severity.ERROR]


@pytest.mark.parametrize(
    "data_type",
    ["Priority", "Level", EnumerationType(values=("low", "high"))],
    ids=["declared", "declared-twice", "inline"],
)
@pytest.mark.parametrize("initial", ['"urgent"', '"LOW"', "3"])
def test_an_enumeration_initial_value_outside_its_values_is_refused(
    data_type: object, initial: str
) -> None:
    package = _fields(("prio", data_type, initial))
    assert _errors(package) == [("initial-value-type", "prio")]
    [finding] = validate(package)
    assert "none of its enumeration's values ('high', 'low')" in finding.message
    with Engine() as engine, pytest.raises(DeployError, match="initial-value-type"):
        engine.deploy(package)


@pytest.mark.parametrize(
    "data_type",
    ["Priority", "Level", EnumerationType(values=("low", "high"))],
    ids=["declared", "declared-twice", "inline"],
)
def test_an_enumeration_initial_value_among_its_values_starts_every_instance(
    data_type: object,
) -> None:
    package = _fields(("prio", data_type, '"high"'))
    assert validate(package) == []
    with Engine() as engine:
        engine.deploy(package)
        assert engine.instance(engine.start_process("x")).data == {"prio": "high"}
        with pytest.raises(DataTypeError):  # what the engine refuses from anyone else
            engine.start_process("x", {"prio": "urgent"})


@pytest.mark.parametrize(
    ("data_type", "initial"),
    [
        ("INTEGER", "3**4095"),  # wider than the engine holds
        ("INTEGER", "1/0"),
        ("FLOAT", "[1.0, 2.0][5]"),
        ("BOOLEAN", "1 // 0 == 0"),
    ],
)
def test_a_constant_initial_value_that_cannot_be_computed_is_refused(
    data_type: str, initial: str
) -> None:
    package = _fields(("n", data_type, initial))
    assert _errors(package) == [("initial-value-type", "n")]
    [finding] = validate(package)
    assert finding.message.startswith("the initial value of data field 'n' cannot be computed")
    assert "no instance could be created" in finding.message
    with Engine() as engine, pytest.raises(DeployError, match="initial-value-type"):
        engine.deploy(package)


@pytest.mark.parametrize(
    ("data_type", "initial"),
    [
        ("INTEGER", "3**40"),
        ("DATETIME", "now()"),  # asks the clock: known only when an instance is created
        ("INTEGER", "1 // int(now() > datetime(2000, 1, 1))"),  # fails only at the epoch
        ("STRING", "1/0"),  # a STRING's text that is no constant is the text itself
    ],
)
def test_initial_values_an_instance_can_be_created_with_are_no_error(
    data_type: str, initial: str
) -> None:
    package = _fields(("n", data_type, initial))
    assert _errors(package) == []
    with Engine() as engine:
        engine.deploy(package)
        engine.start_process("x")
