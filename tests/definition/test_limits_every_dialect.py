"""A text over the expression limits is the error ``expression-syntax`` in every language
(README, Limits: "brackets nested 50 deep, syntax tree 100 deep (in Java and JavaScript ...)"),
the finding the native language gives; in Java or JavaScript it was the warning
``expression-foreign``, deployed, and an instance reaching it got an incident advising to
"rewrite it in wfengine's expression language", which refuses it too. A deployment stored
before this compiles it to an incident that names the limit, not that advice. Texts in more
of their language than the front ends read stay ``expression-foreign``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.model import Package
from wfengine.errors import DeployError, ExpressionEvaluationError
from wfengine.expressions import Language
from wfengine.runtime.evaluation import ExpressionReader

_NESTED = "(" * 51 + "n > 0" + ")" * 51
_LONG = "n > " + "1" * 10_000
_DEEP = " + ".join(["n"] * 120)  # a left-leaning tree 120 deep, no brackets
_TERNARY = "n > 0 ? " * 101 + "1" + " : 0" * 101
_REASONS = {
    _NESTED: "brackets nest more than 50 deep",
    _LONG: "characters long; the limit is 10000",
    _DEEP: "nests more than 100 levels deep",
}
_SCRIPTS = [None, "text/javascript", "text/java"]


def _package(condition: str, script: str | None) -> Package:
    b = PackageBuilder("p", script=script)
    b.participant("clerk")
    p = b.process("main")
    p.data_field("n", "INTEGER", initial="1")
    p.start("s0")
    p.route("r", gateway="Exclusive")
    p.activity("w", performer="clerk")
    p.end("e")
    p.sequence("s0", "r")
    p.transition("r", "w", condition=condition)
    p.transition("r", "e", otherwise=True)
    p.sequence("w", "e")
    return b.build()


@pytest.mark.parametrize("script", _SCRIPTS)
@pytest.mark.parametrize("condition", list(_REASONS))
def test_a_text_over_a_limit_is_expression_syntax(condition: str, script: str | None) -> None:
    package = _package(condition, script)
    found = [(d.code, d.severity.name, d.message) for d in validate(package)]
    [(code, severity, message)] = [f for f in found if f[0].startswith("expression-")]
    assert (code, severity) == ("expression-syntax", "ERROR")
    assert _REASONS[condition] in message
    with pytest.raises(DeployError, match="expression-syntax"):
        Engine().deploy(package)


@pytest.mark.parametrize("script", ["text/javascript", "text/java"])
def test_conditionals_nested_too_deep_are_refused(script: str) -> None:
    found = [(d.code, d.message) for d in validate(_package(_TERNARY, script))]
    assert any(
        code == "expression-syntax" and "conditional expressions nest more than 100 deep" in m
        for code, m in found
    ), found


def test_more_of_the_language_than_is_read_is_still_foreign() -> None:
    found = [d.code for d in validate(_package("new java.util.Date() != null", "text/java"))]
    assert "expression-foreign" in found and "expression-syntax" not in found


@pytest.mark.parametrize("language", [Language.JAVASCRIPT, Language.JAVA])
def test_a_stored_deployment_names_the_limit(language: Language) -> None:
    # (compiled without validation, as a deployment stored by an earlier wfengine is)
    reader = ExpressionReader(language, {})
    compiled = reader.required(_NESTED, "transition 't2' condition")
    with pytest.raises(ExpressionEvaluationError) as raised:
        compiled.evaluate({"n": 1}, lambda: datetime(2030, 1, 1, tzinfo=UTC), "instance 'i'")
    message = str(raised.value)
    assert "over wfengine's expression limits (brackets nest more than 50 deep)" in message
    assert "rewrite it in wfengine's expression language" not in message
