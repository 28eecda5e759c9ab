"""Validation of expressions: syntax, foreign script languages, unknown names."""

from __future__ import annotations

from tests.definition.test_validation import (  # noqa: F401  (_no_check_crashes: autouse)
    _no_check_crashes,
    _tool_activity,
    act,
    codes,
    field,
    formal,
    one,
    only,
    pkg,
    sequence_process,
    tr,
)
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import (
    Application,
    Deadline,
    Package,
    Script,
    StandardLoop,
)
from wfengine.definition.validation import validate


def _conditional(text: str, script: str | None = None) -> Package:
    process = sequence_process(
        data_fields=(field("amount"),),
        transitions=(tr("t1", "start", "work", text), tr("t2", "work", "end")),
    )
    return pkg(process, script=Script(type=script) if script else None)


def test_expression_syntax_error() -> None:
    d = one(validate(_conditional("amount >")), "expression-syntax")
    assert (d.severity, d.element_id) == (Severity.ERROR, "t1")


def test_foreign_script_is_a_warning_not_a_syntax_error() -> None:
    found = validate(_conditional("amount.indexOf('B') !== -1 && {", "text/javascript"))
    assert "expression-syntax" not in codes(found)
    d = one(found, "expression-foreign")
    assert (d.severity, d.element_id) == (Severity.WARNING, "t1")


def test_expression_unknown_name() -> None:
    d = one(validate(_conditional("amout > 3")), "expression-unknown-name")
    assert (d.severity, d.element_id) == (Severity.WARNING, "t1")
    assert "'amout'" in d.message


def test_loop_and_deadline_expressions_are_checked() -> None:
    work = act(
        "work",
        loop=StandardLoop(condition="amount <"),
        deadlines=(Deadline(duration="3 days"), Deadline(duration="amount * ")),
    )
    process = sequence_process(
        data_fields=(field("amount"),), activities=(act("start"), work, act("end"))
    )
    found = only(validate(pkg(process)), "expression-syntax")
    assert [d.element_id for d in found] == ["work", "work"]
    assert "loop condition" in found[0].message or "loop condition" in found[1].message


def test_in_actual_parameters_are_expressions() -> None:
    app = Application(id="mail", formal_parameters=(formal("to"),))
    process = sequence_process(
        activities=(act("start"), _tool_activity("mail", "recipient"), act("end"))
    )
    d = one(validate(pkg(process, applications=(app,))), "expression-unknown-name")
    assert d.element_id == "work"


def test_label_text_in_a_condition_is_a_warning_not_an_error() -> None:
    found = validate(_conditional("Claim accepted"))
    assert "expression-syntax" not in codes(found)
    d = one(found, "expression-label")
    assert (d.severity, d.element_id) == (Severity.WARNING, "t1")
    assert "label" in d.message and "incident" in d.message
    typo = one(validate(_conditional("amount >")), "expression-syntax")
    assert "label" not in typo.message


def test_text_grammar_makes_a_label_of_anything() -> None:
    from wfengine.definition.model import Condition, ConditionType, Transition

    process = sequence_process(
        data_fields=(field("amount"),),
        transitions=(
            Transition(
                id="t1",
                from_="start",
                to="work",
                condition=Condition(
                    type=ConditionType.CONDITION,
                    expression="amount",
                    expression_attrs=(("ScriptGrammar", "Text"),),
                ),
            ),
            tr("t2", "work", "end"),
        ),
    )
    d = one(validate(pkg(process)), "expression-label")
    assert d.element_id == "t1"


def test_javascript_dialect_expressions_are_checked() -> None:
    ok = validate(_conditional("amount.indexOf('B') != -1", "text/javascript"))
    assert not {"expression-foreign", "expression-syntax"} & codes(ok)
    unknown = one(validate(_conditional("amout.equals('x')", "java")), "expression-unknown-name")
    assert "'amout'" in unknown.message


def test_a_reserved_name_is_an_error_in_validation() -> None:
    d = one(validate(_conditional("__class__ == 1")), "expression-syntax")
    assert "reserved" in d.message


def test_initial_values_are_read_as_the_engine_reads_them() -> None:
    from wfengine.definition.model import BasicType, BasicTypeKind, DataField

    def typed(field_id: str, kind: str, initial: str) -> DataField:
        return DataField(
            id=field_id, data_type=BasicType(type=BasicTypeKind(kind)), initial_value=initial
        )

    process = sequence_process(
        data_fields=(
            typed("who", "STRING", "nobody"),  # a STRING's bare text is the text itself
            typed("n", "INTEGER", "'x'"),  # not an INTEGER
            typed("when", "DATETIME", "2008-10-06T17:02:23.000+0000"),
            typed("m", "INTEGER", "2 +"),  # does not parse
        )
    )
    found = validate(pkg(process))
    assert [d.element_id for d in only(found, "initial-value-type")] == ["n"]
    assert [d.element_id for d in only(found, "expression-syntax")] == ["m"]
