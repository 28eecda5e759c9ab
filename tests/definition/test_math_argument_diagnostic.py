"""``Math.max``, ``Math.min`` and ``Math.abs`` take numbers only in Java and JavaScript since
f65464a (an incident where an instance gives them text); a definition giving them a constant
text or boolean, or a STRING or BOOLEAN field, validated clean. It is now a ``math-argument``
warning naming the call and what it is given."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.validation import validate


def _found(language: str, condition: str, kind: str = "STRING") -> list[Diagnostic]:
    pb = PackageBuilder("pk", script=language)
    p = pb.process("P")
    p.data_field("a", kind).data_field("n", "INTEGER")
    p.start("s").route("r", gateway="Exclusive").activity("yes").activity("no").end("e")
    p.sequence("s", "r")
    p.transition("r", "yes", condition=condition).transition("r", "no", otherwise=True)
    p.sequence("yes", "e").sequence("no", "e")
    return [d for d in validate(pb.build()) if d.code == "math-argument"]


@pytest.mark.parametrize(
    ("language", "condition", "given"),
    [
        ("text/javascript", "Math.max('10', '9') == '9'", "the text '10' and the text '9'"),
        ("text/javascript", "Math.abs(true) == 1", "the boolean true"),
        ("text/javascript", "Math.max(a, n) == '9'", "'a', declared STRING"),
        ("text/java", 'Math.max(a, 1).equals("9")', "'a', declared STRING"),
        ("text/java", "Math.min(n, null) == 1", "null"),
    ],
)
def test_math_given_what_it_does_not_take_is_a_warning(
    language: str, condition: str, given: str
) -> None:
    [found] = _found(language, condition)
    assert found.severity is Severity.WARNING
    assert f"gives Math.{condition[5:8]} {given} (in " in found.message
    assert "stops with an incident" in found.message


def test_a_boolean_field_is_named() -> None:
    [found] = _found("text/javascript", "Math.abs(a) > 0", kind="BOOLEAN")
    assert "'a', declared BOOLEAN" in found.message


@pytest.mark.parametrize(
    ("language", "condition"),
    [
        ("text/javascript", "Math.max(n, 1) > 0"),
        ("text/javascript", "Math.max(Number(a), 1) > 0"),
        ("text/java", "Math.abs(-2.5) > 0"),
        ("text/x-wfengine", "max(a, 'b') == 'b'"),  # the native language's max is Python's
    ],
)
def test_numbers_give_no_warning(language: str, condition: str) -> None:
    assert _found(language, condition) == []
