"""A quoted text initial value is its content ("a quoted literal is its content",
semantics.md); one that is quoted at both ends but does not parse (over the expression
length limit, a Java escape Java refuses, two literals side by side) is ``initial-value-type``
naming the field and the parser's reason, and refuses the deploy, where it was stored with
its quotes and validation said nothing. Text without quotes stays the text itself, of any
length; a deployment stored before this refuses the instance's creation, naming the reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.model import BasicType, BasicTypeKind, DataField, Package
from wfengine.errors import DeployError, ExpressionEvaluationError
from wfengine.expressions import Language
from wfengine.runtime.evaluation import ExpressionReader

_LONG = "'" + "a" * 9_999 + "'"  # a body of 9,999: the text is 10,001 characters


def _package(initial: str, script: str | None = None, kind: str = "STRING") -> Package:
    b = PackageBuilder("p", script=script)
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("s", kind, initial=initial)
    p.activity("a", performer="clerk")
    return b.build()


def _errors(package: Package) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in validate(package) if d.severity.name == "ERROR"]


@pytest.mark.parametrize(
    ("initial", "script", "reason"),
    [
        (_LONG, None, "expression is 10001 characters long; the limit is 10000"),
        (_LONG, "text/javascript", "the limit is 10000"),
        (r'"C:\docs\new"', "text/java", r"'\d' is no escape in Java"),
        ('"a" "b"', "text/java", "string literals side by side are not joined"),
        ("'it's'", None, "unterminated string literal"),
    ],
)
def test_a_quoted_text_that_does_not_parse_is_refused(
    initial: str, script: str | None, reason: str
) -> None:
    package = _package(initial, script)
    [(code, message)] = _errors(package)
    assert code == "initial-value-type"
    assert message.startswith("the initial value of data field 's' ")
    assert "it is quoted, but no text literal in" in message and reason in message
    with pytest.raises(DeployError, match="initial-value-type"):
        Engine().deploy(package)


def test_the_length_limit_says_to_write_a_long_text_without_quotes() -> None:
    [(_code, message)] = _errors(_package(_LONG))
    assert "a longer text is written without quotes" in message


@pytest.mark.parametrize(
    ("initial", "script", "stored"),
    [
        ("'" + "a" * 9_998 + "'", None, "a" * 9_998),  # within the limit: its content
        ("a" * 20_000, None, "a" * 20_000),  # bare text is the text, of any length
        ('"C:\\\\docs"', "text/java", "C:\\docs"),
        ("plain words", "text/javascript", "plain words"),
        ("'it''s", None, "'it''s"),  # not quoted at both ends: the text itself
    ],
)
def test_texts_that_read_are_taken(initial: str, script: str | None, stored: str) -> None:
    package = _package(initial, script)
    assert _errors(package) == []
    engine = Engine()
    engine.deploy(package)
    assert engine.instance(engine.start_process("proc")).data["s"] == stored


def test_a_stored_deployment_refuses_the_creation_naming_the_reason() -> None:
    # (deploying refuses it now; one stored by an earlier wfengine is compiled without
    # validation: its instances are refused, never given the text with its quotes)
    field = DataField(id="s", data_type=BasicType(type=BasicTypeKind.STRING), initial_value=_LONG)
    reader = ExpressionReader(Language.NATIVE, {})
    compiled = reader.initial_value(field, {}, "the initial value of data field 's'")
    assert compiled is not None
    with pytest.raises(ExpressionEvaluationError, match="it is quoted, but no text literal"):
        compiled.evaluate({}, lambda: datetime(2030, 1, 1, tzinfo=UTC), "instance 'pi-1'")
