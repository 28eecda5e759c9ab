"""Errors say what was wrong, in which expression, and where: modellers fix definitions by them."""

from __future__ import annotations

import pytest

from wfengine.errors import ExpressionEvaluationError, ExpressionSyntaxError
from wfengine.expressions import parse


def syntax_error(text: str) -> ExpressionSyntaxError:
    with pytest.raises(ExpressionSyntaxError) as info:
        parse(text)
    return info.value


def evaluation_error(text: str, variables: dict[str, object]) -> ExpressionEvaluationError:
    expr = parse(text)
    with pytest.raises(ExpressionEvaluationError) as info:
        expr.evaluate(variables)
    return info.value


def test_unknown_variable_is_named_with_its_offset() -> None:
    err = evaluation_error("amount > 100 and stauts == 'open'", {"amount": 500})
    assert err.message == "unknown variable 'stauts'"
    assert err.offset == 17
    assert err.source == "amount > 100 and stauts == 'open'"
    assert "unknown variable 'stauts' in expression" in str(err)
    assert "at offset 17" in str(err)


def test_unknown_variable_on_the_left_of_a_comparison() -> None:
    err = evaluation_error("missing == 1", {})
    assert (err.message, err.offset) == ("unknown variable 'missing'", 0)


def test_error_points_at_the_failing_sub_expression() -> None:
    err = evaluation_error("x > 0 and total / count > 2", {"x": 1, "total": 10, "count": 0})
    assert err.offset == 10
    assert err.message == "division by zero (evaluating 'total / count')"
    assert isinstance(err.__cause__, ZeroDivisionError)


def test_type_error_message_names_the_types_and_the_conversion() -> None:
    err = evaluation_error("amount > 5", {"amount": "many"})
    assert "'>' in Python compares two numbers, two texts or two dates" in err.message
    assert "not text and integer; convert text first, e.g. int(x)" in err.message
    assert err.offset == 0
    assert isinstance(err.__cause__, TypeError)


@pytest.mark.parametrize(
    ("text", "variables", "message"),
    [
        ("items[3]", {"items": [1]}, "list index out of range"),
        ("order['due']", {"order": {}}, "key 'due' not found"),
        ("'n' + 1", {}, 'can only concatenate str (not "int") to str'),
        ("-label", {"label": "x"}, "bad operand type for unary -"),
        ("len(n)", {"n": 5}, "has no len()"),
        ("int('x')", {}, "invalid literal for int()"),
        ("min([])", {}, "empty"),
        ("x.lower()", {"x": 5}, "lower() is a string method, not available on int"),
        ("{[1]: 2}", {}, "unhashable type: 'list'"),
    ],
)
def test_run_time_failures_become_evaluation_errors(
    text: str, variables: dict[str, object], message: str
) -> None:
    assert message in evaluation_error(text, variables).message


def test_javascript_rewrite_keeps_offsets_into_the_original_text() -> None:
    # '&&' and '!' are rewritten to longer Python; the offset still points into what was written
    assert evaluation_error("a && !b && missing", {"a": True, "b": False}).offset == 11
    assert syntax_error("a && !b && c.__class__").offset == 11
    assert syntax_error("a === b && ~c").offset == 11


def test_syntax_error_offset_across_lines_and_unicode() -> None:
    err = syntax_error("status == 'offen'\n  and größe >")
    assert err.message == "invalid syntax"
    assert err.offset == len("status == 'offen'\n  and größe >")  # end of the text
    err = syntax_error("größe < 3 and x.__y")
    assert err.offset == 14
    assert evaluation_error("'größe' + 1 / n", {"n": 0}).offset == 10


def test_syntax_error_offset_of_a_stray_token() -> None:
    err = syntax_error("a == 1 2")
    assert (err.message, err.offset) == ("invalid syntax", 7)


def test_parser_line_numbers_do_not_leak_into_messages() -> None:
    # Python says "(detected at line 2)" about its own wrapped text; that would mislead
    err = syntax_error("x == 'abc\n'")
    assert "line" not in err.message


def test_error_can_name_where_the_expression_lives() -> None:
    err = evaluation_error("missing", {}).with_context("transition T1 of process P")
    assert isinstance(err, ExpressionEvaluationError)
    assert str(err).startswith("transition T1 of process P: unknown variable 'missing'")


def test_errors_from_host_values_truthiness_are_converted() -> None:
    class Ambiguous:
        def __bool__(self) -> bool:
            raise ValueError("truth value is ambiguous")

    err = evaluation_error("x and 1", {"x": Ambiguous()})
    assert "ambiguous" in err.message
