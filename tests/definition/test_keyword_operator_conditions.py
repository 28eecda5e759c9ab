"""Java and JavaScript conditions written with Python's keyword operators (``x is null``,
``a and b``, ``not x``) are expressions the author got wrong, not labels for people: they are
refused with the operator to write (docs/semantics.md), and an instance reaching one stops
with an incident naming it, rather than ``wfengine run --decisions first`` quietly taking the
first way as it does for a label."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.reading import ReadKind, read_expression
from wfengine.expressions import Language

_HINTS = {
    "x is null": "write '==' (or '!=')",
    "x is not null": "write '==' (or '!=')",
    "a and b": "write '&&'",
    "a or b": "write '||'",
    "not x": "write '!'",
}


@pytest.mark.parametrize("language", [Language.JAVASCRIPT, Language.JAVA])
@pytest.mark.parametrize("text", sorted(_HINTS))
def test_python_keyword_operators_are_refused_not_labels(text: str, language: Language) -> None:
    reading = read_expression(text, language)
    assert reading.kind is ReadKind.UNPARSEABLE
    assert reading.error is not None and _HINTS[text] in reading.error.message


@pytest.mark.parametrize("text", ["Claim accepted", "not approved yet", "Accepted?"])
def test_labels_in_javascript_stay_labels(text: str) -> None:
    assert read_expression(text, Language.JAVASCRIPT).kind is ReadKind.LABEL


def test_validation_and_the_engine_name_the_operator_to_write() -> None:
    pb = PackageBuilder("pkg", script="text/javascript")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="1")
    p.activity("A")
    p.activity("WhenNull")
    p.activity("WhenSet")
    p.transition("A", "WhenNull", condition="x is null")
    p.transition("A", "WhenSet", condition="x != null")
    package = pb.build()
    found = [d for d in validate(package) if d.code.startswith("expression-")]
    assert [d.code for d in found] == ["expression-foreign"]
    assert "write '==' (or '!=')" in found[0].message
    engine = Engine()
    engine.deploy(package)
    instance_id = engine.start_process("main")
    incidents = engine.incidents(instance_id)
    assert len(incidents) == 1 and "write '==' (or '!=')" in incidents[0].message
