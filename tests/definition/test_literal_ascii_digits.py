"""A bare ``InitialValue`` is read as a number in ASCII digits only, as the engine reads a
number in text from everyone else (:func:`wfengine.definition.coercion.coerce`). Before, the
literal reader's ``\\d`` took any script's digits: ``١٢`` (Arabic-Indic) or fullwidth ``７``
on an INTEGER validated clean and every instance held 12 or 7, while a starter giving the
same text was refused."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, validate
from wfengine.definition.coercion import coerce
from wfengine.definition.diagnostics import Severity
from wfengine.definition.literals import parse_literal
from wfengine.definition.model import BasicTypeKind, Package
from wfengine.errors import DeployError

_NOT_ASCII = [
    ("INTEGER", "١٢"),
    ("FLOAT", "٣.٥"),
    ("INTEGER", "７"),
    ("FLOAT", "７.５"),
    ("FLOAT", "1e٣"),
]


def _package(kind: str, initial: str) -> Package:
    b = PackageBuilder("p")
    p = b.process("m")
    p.data_field("x", kind, initial=initial)
    p.start("s").activity("a", performer="nobody").end("e").sequence("s", "a", "e")
    b.participant("nobody")
    return b.build()


@pytest.mark.parametrize(("kind", "text"), _NOT_ASCII)
def test_a_literal_in_other_digits_is_no_number(kind: str, text: str) -> None:
    with pytest.raises(ValueError):
        parse_literal(text, BasicTypeKind[kind])
    with pytest.raises(ValueError):  # what the engine takes from a starter: the same answer
        coerce(text, BasicTypeKind[kind])


@pytest.mark.parametrize(("kind", "text"), _NOT_ASCII)
def test_validate_and_deploy_both_refuse_it(kind: str, text: str) -> None:
    package = _package(kind, text)
    errors = [d for d in validate(package) if d.severity is Severity.ERROR]
    assert [d.element_id for d in errors] == ["x"]
    with pytest.raises(DeployError, match="'x'"):
        Engine(clock=VirtualClock()).deploy(package)


@pytest.mark.parametrize(
    ("kind", "text", "held"), [("INTEGER", "12", 12), ("FLOAT", "3.5", 3.5), ("INTEGER", "-7", -7)]
)
def test_ascii_digits_are_read_as_before(kind: str, text: str, held: object) -> None:
    package = _package(kind, text)
    assert [d for d in validate(package) if d.severity is Severity.ERROR] == []
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    assert engine.instance(engine.start_process("m")).data["x"] == held
