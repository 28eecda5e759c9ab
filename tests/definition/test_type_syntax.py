"""A data type the XPDL schemas refuse as written (an enumeration value that is no XML name
token, a record, union or enumeration type holding nothing) is a ``type-syntax`` warning naming
the type and the value: such a definition was written schema-invalid while ``validate()`` said
nothing. Only a warning: the engine deploys and runs it as before."""

from __future__ import annotations

import pytest
from lxml import etree

from wfengine import Engine, PackageBuilder, dump_xpdl, validate
from wfengine.definition.model import Package
from wfengine.definition.model_data_types import (
    ArrayType,
    BasicType,
    DataType,
    EnumerationType,
    RecordType,
    UnionType,
)
from wfengine.definition.xpdl.schema import check_schema


def _package(data_type: DataType) -> Package:
    pb = PackageBuilder("pkg")
    pb.type_declaration("Status", data_type)
    p = pb.process("main")
    p.data_field("st", "Status")
    p.start("s").activity("t").end("e").sequence("s", "t", "e")
    return pb.build()


def _findings(package: Package) -> list[tuple[str, str | None, str]]:
    return [
        (d.severity.value, d.element_id, d.message)
        for d in validate(package)
        if d.code == "type-syntax"
    ]


def _schema_valid(package: Package) -> bool:
    return check_schema(etree.fromstring(dump_xpdl(package)).getroottree(), "2.2") == []


@pytest.mark.parametrize("value", ["In progress", "", "b c"])
def test_an_enumeration_value_no_name_token_is_named(value: str) -> None:
    package = _package(EnumerationType(values=(value, "Done")))
    ((severity, element_id, message),) = _findings(package)
    assert (severity, element_id) == ("warning", "Status")
    assert f"EnumerationType of TypeDeclaration 'Status' has the value {value!r}" in message
    assert not _schema_valid(package)


@pytest.mark.parametrize(
    ("data_type", "kind", "what"),
    [
        (RecordType(members=()), "RecordType", "member"),
        (UnionType(members=()), "UnionType", "member"),
        (EnumerationType(values=()), "EnumerationType", "value"),
    ],
)
def test_an_empty_type_is_named(data_type: DataType, kind: str, what: str) -> None:
    package = _package(data_type)
    ((severity, element_id, message),) = _findings(package)
    assert (severity, element_id) == ("warning", "Status")
    assert f"the {kind} of TypeDeclaration 'Status' has no {what}" in message
    assert not _schema_valid(package)


def test_a_nested_type_is_named_by_its_field() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    nested = RecordType(members=(BasicType(type="STRING"), EnumerationType(values=("a b",))))
    p.data_field("rows", ArrayType(element=nested, lower_index="1", upper_index="3"))
    p.start("s").end("e").sequence("s", "e")
    ((_, element_id, message),) = _findings(pb.build())
    assert element_id == "rows" and "DataField 'rows' has the value 'a b'" in message


@pytest.mark.parametrize("values", [("In_progress", "Done"), (" padded ", "x.y-z:1")])
def test_values_the_schema_takes_are_no_finding(values: tuple[str, ...]) -> None:
    """A token with white space around it is one: the schema collapses white space first."""
    package = _package(EnumerationType(values=values))
    assert _findings(package) == []
    assert _schema_valid(package)


def test_the_engine_still_runs_it() -> None:
    package = _package(EnumerationType(values=("In progress", "Done")))
    with Engine() as engine:
        engine.deploy(package)  # a warning: deploy and run as before
        iid = engine.start_process("main")
        assert engine.trace(iid) == ["s", "t", "e"]
