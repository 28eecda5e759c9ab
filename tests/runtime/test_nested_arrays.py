"""A field (or an application's formal parameter) typed as an array of arrays is checked at
every level: ``[[1, 2], [3, 4]]`` is an array of arrays of INTEGER (its items converted as a
single INTEGER's are), while ``[1, 2]``, an array of INTEGER, is not one. (The element check
flattened to the innermost type: the good value was refused and the flat one taken.)"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.applications.coercion import ListOf, coerce
from wfengine.applications.specs import basic_kind
from wfengine.definition.model import ArrayType, BasicType, BasicTypeKind, DeclaredType
from wfengine.errors import DataTypeError

INT = BasicType(type=BasicTypeKind.INTEGER)


def _package(tool: bool = False) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.type_declaration("Matrix", ArrayType(element=ArrayType(element=INT)))
    pb.application("transpose", params=[("m", "INOUT", "Matrix")])
    p = pb.process("p")
    p.data_field("grid", "Matrix")
    if tool:
        p.activity("t", tool="transpose", args=["grid"])
    p.activity("h", performer="clerk")
    if tool:
        p.transition("t", "h")
    return pb


@pytest.mark.parametrize(
    ("value", "stored"),
    [([[1, 2], [3, 4]], [[1, 2], [3, 4]]), ([["5"], []], [[5], []]), ([], [])],
)
def test_an_array_of_arrays_takes_its_values(value: Any, stored: Any, engine: Engine) -> None:
    engine.deploy(_package().build())
    iid = engine.start_process("p", {"grid": value})
    assert engine.instance(iid).data["grid"] == stored


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ([1, 2], "expected a list of INTEGER, got int 1"),
        ([[1, "x"]], "expected INTEGER, got str 'x'"),
        (5, "expected a list of lists of INTEGER, got int 5"),
    ],
)
def test_an_array_of_arrays_refuses_another_shape(value: Any, why: str, engine: Engine) -> None:
    engine.deploy(_package().build())
    with pytest.raises(DataTypeError, match=rf"data field 'grid': {why}"):
        engine.start_process("p", {"grid": value})
    assert engine.instance_summaries() == []


def test_an_applications_array_of_arrays_parameter_is_checked_at_every_level(
    engine: Engine,
) -> None:
    answers: list[Any] = [[[4, 3], [2, 1]], [4, 3]]
    seen: list[Any] = []

    def transpose(m: Any) -> dict[str, Any]:
        seen.append(m)
        return {"m": answers.pop(0)}

    engine.applications.register("transpose", transpose)
    engine.deploy(_package(tool=True).build())
    good = engine.start_process("p", {"grid": [[1, 2], [3, 4]]})
    assert seen == [[[1, 2], [3, 4]]]  # passed in as the field holds it
    assert engine.instance(good).data["grid"] == [[4, 3], [2, 1]]
    assert engine.incidents(good) == []
    flat = engine.start_process("p", {"grid": [[1]]})
    [incident] = engine.incidents(flat)  # a flat answer is no matrix: nothing written
    assert "expected a list of INTEGER, got int 4" in incident.message
    assert engine.instance(flat).data["grid"] == [[1]]


def test_every_level_is_kept_in_the_kind() -> None:
    types = {
        "Matrix": ArrayType(element=ArrayType(element=INT)),
        "Cube": ArrayType(element=DeclaredType(id="Matrix")),
    }
    assert basic_kind(DeclaredType(id="Matrix"), types) == (ListOf(BasicTypeKind.INTEGER), True)
    cube = basic_kind(DeclaredType(id="Cube"), types)
    assert cube == (ListOf(ListOf(BasicTypeKind.INTEGER)), True)
    assert coerce([[["1"]], []], *cube) == [[[1]], []]
    with pytest.raises(ValueError, match="expected a list of INTEGER, got int 1"):
        coerce([[1]], *cube)
    assert basic_kind(ArrayType(element=INT), types) == (BasicTypeKind.INTEGER, True)
