"""Which condition texts are labels for people (``Claim accepted``) rather than expressions.

The label test reads untrusted text (a definition may come from anyone), so it must cost time
linear in the text and never run on a text longer than any expression may be."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, VirtualClock, validate
from wfengine.definition.reading import ReadKind, is_prose, read_expression
from wfengine.expressions import DEFAULT_LIMITS, Language

_LIMIT = DEFAULT_LIMITS.max_source_length


def test_a_text_longer_than_any_expression_is_no_label_but_unparseable() -> None:
    words = ("Claim accepted " * (_LIMIT // 10)).strip()
    assert len(words) > _LIMIT
    assert not is_prose(words)
    reading = read_expression(words, Language.NATIVE)
    assert reading.kind is ReadKind.UNPARSEABLE and reading.refused
    assert reading.error is not None and "limit" in reading.error.message


def test_a_long_run_of_spaces_before_a_non_word_is_no_label() -> None:
    # the shape that made the old pattern backtrack quadratically: words, a run of spaces
    # just under the expression limit, then something that is no word
    text = "Claim accepted" + " " * (_LIMIT - 30) + "(see note)"
    assert not is_prose(text)
    assert not is_prose("a b" + " " * (_LIMIT - 10) + "#")
    assert read_expression(text, Language.NATIVE).kind is ReadKind.UNPARSEABLE


def test_labels_up_to_the_limit_are_still_labels() -> None:
    assert is_prose("Claim accepted")
    assert is_prose("  Individualteile benötigt ? ")
    assert is_prose("Claim" + " " * (_LIMIT - 20) + "accepted!")
    assert not is_prose("amount > 100")
    assert not is_prose("Claim accepted (see note)")


def test_one_word_ending_in_a_question_mark_or_full_stop_is_a_label() -> None:
    for text in ("Accepted?", "Rejected.", " Genehmigt! ", "Yes?", "it's?"):
        assert is_prose(text), text
        assert read_expression(text, Language.NATIVE).kind is ReadKind.LABEL, text
    assert read_expression("Accepted?", Language.JAVASCRIPT).kind is ReadKind.LABEL


def test_a_bare_word_stays_a_name_and_a_number_or_operator_no_label() -> None:
    # a single word may be a data field (a BOOLEAN 'Yes'); validation says when it names none
    reading = read_expression("Yes", Language.NATIVE)
    assert reading.kind is ReadKind.EXPRESSION and reading.expression is not None
    assert reading.expression.names == frozenset({"Yes"})
    for text in ("42?", "x > 1?", "?", "a??", "_x?"):
        assert not is_prose(text), text


def test_a_one_word_label_deploys_and_stops_at_a_decision_for_people() -> None:
    b = PackageBuilder("p")
    pr = b.process("pr")
    pr.start("s").route("r").end("a").end("b")
    pr.sequence("s", "r")
    pr.transition("r", "a", condition="Accepted?", id="ta")
    pr.transition("r", "b", condition="Rejected?", id="tb")
    package = b.build()
    found = validate(package)
    assert "expression-syntax" not in {d.code for d in found}
    assert {d.element_id for d in found if d.code == "expression-label"} == {"ta", "tb"}
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    iid = engine.start_process("pr", {})
    [incident] = engine.incidents(iid)
    assert "'Accepted?' is a label for people" in incident.message
    assert [way.label for way in engine.decision(incident.id).ways] == [True, True]
    engine.skip_incident(incident.id, take=["tb"])
    assert engine.trace(iid) == ["s", "r", "b"]
