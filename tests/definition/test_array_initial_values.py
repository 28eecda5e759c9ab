"""A field that holds a list (``IsArray``, an ArrayType or ListType) has a list as its
initial value: the text is read as an expression (a list literal), in every type, and
validation refuses (``initial-value-type``, an error, so deploy refuses too) a constant that
is no list of the field's element type.

Before, a STRING array's ``['a', 'b']`` was stored as that one text (``len(tags)`` was 10)
and an INTEGER array's ``7`` as the number 7, though ``start_process`` refuses both for the
field ("expected a list of ...")."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, dump_xpdl, load_xpdl, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import ArrayType, BasicType, BasicTypeKind, Package
from wfengine.errors import DeployError

_STRINGS = ArrayType(element=BasicType(type=BasicTypeKind.STRING))


def _package(field_type: object, initial: str, *, is_array: bool) -> Package:
    pb = PackageBuilder("p")
    p = pb.process("m")
    p.data_field("tags", field_type, is_array=is_array, initial=initial)  # type: ignore[arg-type]
    p.data_field("n", "INTEGER")
    p.start("s").activity("count", script="n = len(tags)").end("e")
    p.sequence("s", "count", "e")
    return pb.build()


def _errors(package: Package) -> list[tuple[str, str | None, str]]:
    return [
        (d.code, d.element_id, d.message) for d in validate(package) if d.severity is Severity.ERROR
    ]


@pytest.mark.parametrize(
    ("field_type", "is_array"),
    [("STRING", True), (_STRINGS, False)],
    ids=["is-array", "array-type"],
)
def test_a_string_arrays_list_literal_is_a_list(field_type: object, is_array: bool) -> None:
    package = _package(field_type, "['a', 'b']", is_array=is_array)
    assert _errors(package) == []
    for built in (package, load_xpdl(dump_xpdl(package))):  # and after a file round trip
        engine = Engine(clock=VirtualClock())
        engine.deploy(built)
        data = engine.instance(engine.start_process("m")).data
        assert data["tags"] == ["a", "b"]
        assert data["n"] == 2


@pytest.mark.parametrize(
    ("field_type", "initial", "said"),
    [
        ("INTEGER", "7", "is 7, which is not a list"),
        ("STRING", "'a'", "is 'a', which is not a list"),
        ("INTEGER", '[1, "x"]', "whose item 1 is 'x', which is not an INTEGER"),
    ],
)
def test_a_constant_that_is_no_list_of_the_element_is_refused(
    field_type: str, initial: str, said: str
) -> None:
    package = _package(field_type, initial, is_array=True)
    [(code, element_id, message)] = _errors(package)
    assert (code, element_id) == ("initial-value-type", "tags")
    assert "data field 'tags'" in message and said in message
    with pytest.raises(DeployError, match="initial-value-type"):
        Engine(clock=VirtualClock()).deploy(package)


@pytest.mark.parametrize("initial", ["[]", "null", "[7, 8]"])
def test_an_empty_list_no_value_and_a_list_of_the_type_pass(initial: str) -> None:
    assert _errors(_package("INTEGER", initial, is_array=True)) == []
