"""Type declarations standing for each other in a circle are reported (``type-cycle``): the
chain never reaches a type, so a value given for a field of one was never checked, and
validation said nothing."""

from __future__ import annotations

from wfengine import PackageBuilder, validate
from wfengine.definition.diagnostics import CODES, Severity
from wfengine.definition.model import ArrayType, DeclaredType


def _cycles(*declarations: tuple[str, object]) -> list[str]:
    b = PackageBuilder("pk")
    for type_id, data_type in declarations:
        b.type_declaration(type_id, data_type)  # type: ignore[arg-type]
    p = b.process("main")
    p.data_field("f", declarations[0][0])
    p.start("a").end("z").sequence("a", "z")
    return [d.message for d in validate(b.build()) if d.code == "type-cycle"]


def test_two_declarations_naming_each_other_are_one_finding_naming_the_circle() -> None:
    [message] = _cycles(("T", "U"), ("U", "T"))
    assert "type declaration 'T' refers back to itself (T -> U -> T)" in message
    assert CODES["type-cycle"][0] is Severity.WARNING


def test_a_longer_circle_entered_from_outside_is_reported_once() -> None:
    [message] = _cycles(("Top", "A"), ("A", "B"), ("B", "C"), ("C", "A"))
    assert "(A -> B -> C -> A)" in message


def test_an_array_of_itself_is_a_circle() -> None:
    [message] = _cycles(("T", ArrayType(element=DeclaredType(id="T"))))
    assert "(T -> T)" in message


def test_a_chain_that_reaches_a_type_is_not_reported() -> None:
    assert _cycles(("T", "U"), ("U", "Money"), ("Money", "FLOAT")) == []
