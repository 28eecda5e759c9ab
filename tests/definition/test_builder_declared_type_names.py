"""A type name that is both a declared type's id and a basic type's name in another case.

``data_field("who", "Performer")`` used to be the basic type PERFORMER even when the package
declared ``Performer`` (an enumeration, say), so the declaration was silently ignored. An exact
declared id now wins; the basic type is still what any other spelling names."""

from __future__ import annotations

from wfengine import EnumerationType, PackageBuilder
from wfengine.definition.model import BasicType, BasicTypeKind, DeclaredType


def _fields_typed(*names: str) -> PackageBuilder:
    pb = PackageBuilder("p")
    pb.type_declaration("Performer", EnumerationType(values=("alice", "bob")))
    p = pb.process("m")
    for i, name in enumerate(names):
        p.data_field(f"f{i}", name)
    return pb


def test_an_exact_declared_id_wins_over_a_basic_type_name_in_another_case() -> None:
    pkg = _fields_typed("Performer", "PERFORMER", "performer").build()
    types = [f.data_type for f in pkg.process("m").data_fields]
    assert types == [
        DeclaredType(id="Performer"),
        BasicType(type=BasicTypeKind.PERFORMER),
        BasicType(type=BasicTypeKind.PERFORMER),
    ]


def test_the_declaration_may_come_after_the_field() -> None:
    pb = PackageBuilder("p")
    pb.process("m").data_field("who", "Performer").param("x", "IN", "Performer")
    pb.type_declaration("Performer", EnumerationType(values=("alice", "bob")))
    process = pb.build().process("m")
    assert process.data_fields[0].data_type == DeclaredType(id="Performer")
    assert process.formal_parameters[0].data_type == DeclaredType(id="Performer")


def test_a_declaration_naming_its_own_id_means_the_basic_type() -> None:
    pb = PackageBuilder("p").type_declaration("Performer", "performer")
    assert pb.build().type_declarations[0].data_type == BasicType(type=BasicTypeKind.PERFORMER)


def test_a_declaration_of_another_declared_name_refers_to_it() -> None:
    pb = PackageBuilder("p")
    pb.type_declaration("Who", "Performer")
    pb.type_declaration("Performer", EnumerationType(values=("alice",)))
    (who, _) = pb.build().type_declarations
    assert who.data_type == DeclaredType(id="Performer")
