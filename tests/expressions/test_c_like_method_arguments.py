"""Every method and static helper of the Java and JavaScript dialects refuses an argument it
does not take in the modeller's words (``charAt() takes an integer, got null``), never in
Python's (``startswith first arg must be str or a tuple of str, not NoneType``, ``list
indices must be integers``, ``'>' not supported between instances of 'str' and 'NoneType'``)
nor for a wrong reason (``charAt(None) is outside a string of length 4``). A null field is the
normal case (semantics.md: a comparison with no answer names the types and the conversion).

The sweep is table-driven over the dialects' own tables (:func:`~wfengine.expressions.
dialects.methods`, :func:`~.dialects.statics`, :func:`~.dialects.extra_functions`), so a
method added later is swept too: every receiver kind it is offered on, every argument count
its signature takes, every argument position given each of the odd values below.
"""

from __future__ import annotations

import inspect
import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions import Dialect, parse
from wfengine.expressions.dialects import extra_functions, methods, statics
from wfengine.expressions.functions import Function
from wfengine.expressions.limits import Limits

#: what Python says that no modeller wrote (the brief's list, and their kin)
PYTHON_TEXT = (
    "NoneType",
    "tuple of str",
    "indices",
    "not supported between instances",
    "unhashable",
    "cannot be interpreted",
    "can't compare",
    "offset-naive",
    "first arg",
    "object has no attribute",
    "'str'",
    "'int'",
    "'list'",
    "None",
    "is outside a string",  # (a null or a text is not a position outside the string)
)

#: the arguments each position is given in turn: null first, then values of every other kind
ODD_VALUES: list[Any] = [
    None,
    "1",
    1,
    1.5,
    True,
    [1, 2],
    {"a": 1},
    date(2024, 1, 1),
    datetime(2024, 1, 1, 9, 0),  # no time zone (a host's naive datetime)
    datetime(2024, 1, 1, 9, 0, tzinfo=UTC),
    timedelta(days=1),
]

#: a value of each type a method may be offered on
_RECEIVERS: dict[type, list[Any]] = {
    str: ["abcd"],
    list: [[1, 2]],
    tuple: [(1, 2)],
    dict: [{"a": 1}],
    int: [5],
    float: [2.5],
    date: [date(2024, 1, 1), datetime(2024, 1, 1, 9, 0), datetime(2024, 1, 1, tzinfo=UTC)],
    timedelta: [timedelta(hours=1)],
    object: [None, "abcd", 5, [1, 2], {"a": 1}],
}

DIALECTS = (Dialect.JAVA, Dialect.JAVASCRIPT)


def _arities(spec: Function, method: bool) -> range:
    params = list(spec.signature.parameters.values())[1 if method else 0 :]  # (the receiver)
    required = sum(1 for p in params if p.default is inspect.Parameter.empty)
    return range(required, len(params) + 1)


def _calls(spec: Function, method: bool) -> list[tuple[int, int]]:
    """(argument count, position of the odd value) for every count the signature takes."""
    return [(n, i) for n in _arities(spec, method) for i in range(n)]


def _check(dialect: Dialect, text: str, variables: dict[str, Any]) -> None:
    try:
        parse(text, dialect=dialect).evaluate(variables)
    except ExpressionEvaluationError as exc:
        message = str(exc).split(" in expression ")[0]
        leaked = [t for t in PYTHON_TEXT if t in message]
        assert not leaked, f"{text} with {variables}: {message}"


def _good(position: int) -> Any:
    """A plausible argument for a position the sweep is not testing (a small index)."""
    return 1 if position else "b"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", sorted(methods(Dialect.JAVA) | methods(Dialect.JAVASCRIPT)))
def test_every_method_refuses_an_odd_argument_in_its_own_words(dialect: Dialect, name: str) -> None:
    spec = methods(dialect).get(name)
    if spec is None:
        pytest.skip(f"{dialect} has no {name}")
    receivers = [r for t in spec.receivers for r in _RECEIVERS[t]]
    for receiver, (count, odd_at), odd in itertools.product(
        receivers, _calls(spec, True), ODD_VALUES
    ):
        args = {f"a{i}": odd if i == odd_at else _good(i) for i in range(count)}
        text = f"r.{name}({', '.join(args)})"
        _check(dialect, text, {"r": receiver, **args})
        # and every argument the odd one (both of two nulls, two date-times)
        same = {f"a{i}": odd for i in range(count)}
        _check(dialect, text, {"r": receiver, **same})


def _functions(dialect: Dialect) -> dict[str, Function]:
    limits = Limits()
    return {**statics(dialect, limits), **extra_functions(dialect, limits)}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_static_helper_refuses_an_odd_argument_in_its_own_words(dialect: Dialect) -> None:
    for name, spec in _functions(dialect).items():
        for (count, odd_at), odd in itertools.product(_calls(spec, False), ODD_VALUES):
            args = {f"a{i}": odd if i == odd_at else 10 for i in range(count)}
            text = f"{name}({', '.join(args)})"
            _check(dialect, text, args)
            _check(dialect, text, {f"a{i}": odd for i in range(count)})


ROWS: list[tuple[Dialect, str, dict[str, Any], str]] = [
    (Dialect.JAVA, "s.compareTo(o) > 0", {"o": None}, "compareTo() takes a string, got null"),
    (Dialect.JAVA, "s.compareTo(n) > 0", {"n": 5}, "compareTo() takes a string, got integer"),
    (Dialect.JAVA, "n.compareTo(s)", {"n": 5}, "compareTo() takes a number, got text"),
    (Dialect.JAVA, "s.compareToIgnoreCase(o)", {"o": None}, "takes a string, got null"),
    (Dialect.JAVA, "s.charAt(o) == 'o'", {"o": None}, "charAt() takes an integer, got null"),
    (Dialect.JAVA, 's.substring("1")', {}, "substring() takes integers, got text"),
    (Dialect.JAVASCRIPT, "s.charAt(o)", {"o": None}, "charAt() takes a number, got null"),
    (Dialect.JAVA, "s.startsWith(o)", {"o": None}, "startsWith() takes a string, got null"),
    (Dialect.JAVASCRIPT, "s.endsWith(n)", {"n": 5}, "endsWith() takes a string, got integer"),
    (Dialect.JAVASCRIPT, "s.includes(n)", {"n": 5}, "includes() takes a string, got integer"),
    (Dialect.JAVA, "s.indexOf('p', o)", {"o": None}, "indexOf() takes an integer as its start"),
    (Dialect.JAVA, "items.get(o) > 0", {"o": None}, "a list index is a number, not null"),
    (Dialect.JAVA, "items[o]", {"o": "1"}, "a list index is a number, not text"),
    (Dialect.JAVA, "r.get(items)", {}, "get() takes a text or number as the key, got list"),
    (Dialect.JAVA, "Integer.parseInt(o)", {"o": None}, "Integer.parseInt() takes a string of"),
    (Dialect.JAVA, "Long.valueOf(o)", {"o": None}, "Long.valueOf() takes a string of digits"),
    (Dialect.JAVA, "Float.parseFloat(o)", {"o": [1]}, "Float.parseFloat() takes a string, got"),
]


@pytest.mark.parametrize(("dialect", "text", "variables", "expected"), ROWS)
def test_the_message_names_the_method_what_it_takes_and_what_it_got(
    dialect: Dialect, text: str, variables: dict[str, Any], expected: str
) -> None:
    data = {"s": "open", "items": [1, 2], "r": {"a": 1}, **variables}
    with pytest.raises(ExpressionEvaluationError) as caught:
        parse(text, dialect=dialect).evaluate(data)
    assert expected in str(caught.value)
    if None in variables.values():
        assert "a field with no value is null: test it first" in str(caught.value)
