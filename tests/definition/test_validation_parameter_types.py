"""A formal parameter and the data field named as its actual whose types do not agree: the
engine checks a value crossing the call by both types, so a value one takes and the other does
not stops the instance with an incident. Validation warns of it (``parameter-type``, a warning)
in the direction values go: an OUT answer into its field, an IN field into its formal."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import EnumerationType
from wfengine.runtime.engine import Engine


def _call(mode: str, formal: str, field: str, *, actual: str = "f") -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.type_declaration("Colour", EnumerationType(values=("red", "green")))
    pb.type_declaration("Warm", EnumerationType(values=("red",)))
    pb.application("app", params=[("x", mode, formal)])
    p = pb.process("main")
    p.data_field("f", field)
    p.activity("call", tool="app", args=[actual])
    return pb


def _warnings(pb: PackageBuilder) -> list[str]:
    found = [d for d in validate(pb.build()) if d.code == "parameter-type"]
    assert all(d.severity is Severity.WARNING for d in found)
    return [d.message for d in found]


def test_an_out_parameter_written_to_a_field_of_another_type_is_a_warning() -> None:
    [message] = _warnings(_call("OUT", "STRING", "INTEGER"))
    assert message == (
        "activity 'call' in process 'main' writes the OUT parameter 'x' of application 'app' "
        "(STRING) to 'f' (INTEGER): the types do not agree, and a value 'f' cannot take stops "
        "the instance with an incident"
    )


def test_a_field_passed_for_an_in_parameter_of_another_type_is_a_warning() -> None:
    [message] = _warnings(_call("IN", "INTEGER", "STRING"))
    assert "passes 'f' (STRING) for the IN parameter 'x' of application 'app' (INTEGER)" in (
        message
    )


@pytest.mark.parametrize(
    ("mode", "formal", "field"),
    [
        ("OUT", "BOOLEAN", "STRING"),  # a BOOLEAN is no STRING value
        ("INOUT", "INTEGER", "FLOAT"),  # in: 2.5 is no INTEGER
        ("OUT", "STRING", "Colour"),
        ("OUT", "Colour", "Warm"),
        ("OUT", "FLOAT", "INTEGER"),
        ("OUT", "DATETIME", "DATE"),
    ],
)
def test_types_that_do_not_agree(mode: str, formal: str, field: str) -> None:
    assert len(_warnings(_call(mode, formal, field))) == 1


@pytest.mark.parametrize(
    ("mode", "formal", "field"),
    [
        ("INOUT", "INTEGER", "INTEGER"),
        ("OUT", "INTEGER", "FLOAT"),  # every INTEGER is a FLOAT
        ("OUT", "INTEGER", "STRING"),  # and is written as text
        ("IN", "STRING", "INTEGER"),
        ("OUT", "Colour", "STRING"),
        ("OUT", "Warm", "Colour"),
        ("IN", "Colour", "Warm"),
        ("OUT", "REFERENCE", "INTEGER"),  # opaque: not checked
        ("OUT", "STRING", "PERFORMER"),
        ("IN", "DATETIME", "DATE"),  # a date is taken as its midnight UTC
    ],
)
def test_types_that_agree_are_not_reported(mode: str, formal: str, field: str) -> None:
    assert _warnings(_call(mode, formal, field)) == []


def test_an_expression_given_for_an_in_parameter_is_not_judged_by_type() -> None:
    assert _warnings(_call("IN", "INTEGER", "STRING", actual="len(f)")) == []


def test_a_subflows_parameters_are_checked_both_ways() -> None:
    pb = PackageBuilder("pkg")
    child = pb.process("child", params=[("cin", "IN", "INTEGER"), ("cout", "OUT", "STRING")])
    child.activity("cs", script='cout = "r" + str(cin)')
    p = pb.process("main")
    p.data_field("name", "STRING").data_field("res", "INTEGER")
    p.subflow("sf", process="child", args=["name", "res"])
    assert _warnings(pb) == [
        "activity 'sf' in process 'main' passes 'name' (STRING) for the IN parameter 'cin' of "
        "process 'child' (INTEGER): the types do not agree, and a value 'cin' cannot take "
        "stops the instance with an incident",
        "activity 'sf' in process 'main' writes the OUT parameter 'cout' of process 'child' "
        "(STRING) to 'res' (INTEGER): the types do not agree, and a value 'res' cannot take "
        "stops the instance with an incident",
    ]


def test_the_warning_does_not_refuse_the_process() -> None:
    Engine().deploy(_call("OUT", "STRING", "INTEGER").build())
