"""Java's and JavaScript's word operators (``x instanceof Integer``, ``typeof x``) make a text
an expression wfengine does not read, named as such (``expression-foreign``), never a label
for people: ``x instanceof Integer`` was taken for a branch label (``expression-label``),
which sends the modeller to the wrong fix."""

from __future__ import annotations

import pytest

from tests.definition.test_foreign_language_wording_r20 import condition_findings


@pytest.mark.parametrize(
    ("expression", "script_type", "language", "operator"),
    [
        ("x instanceof Integer", "java", "Java", "instanceof"),
        ("x instanceof Number", "text/javascript", "JavaScript", "instanceof"),
        ("typeof x", "text/javascript", "JavaScript", "typeof"),
        ("typeof x == 'number'", "text/javascript", "JavaScript", "typeof"),
    ],
)
def test_a_word_operator_is_named_not_taken_for_a_label(
    expression: str, script_type: str, language: str, operator: str
) -> None:
    assert condition_findings(expression, script_type) == [
        (
            "expression-foreign",
            f"the condition of transition 't2' in process 'P' is in {language} beyond what "
            f"wfengine reads (wfengine does not read {operator!r}; in {expression!r}); an "
            "instance reaching it stops with an incident",
        )
    ]


@pytest.mark.parametrize(
    ("expression", "script_type"),
    [("Claim accepted", "java"), ("instanceof check done", "text/x-wfengine")],
)
def test_words_without_such_an_operator_are_still_a_label(
    expression: str, script_type: str
) -> None:
    assert [code for code, _ in condition_findings(expression, script_type)] == ["expression-label"]
