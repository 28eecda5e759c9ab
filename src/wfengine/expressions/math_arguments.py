"""What a Java or JavaScript text gives ``Math.max``, ``Math.min`` and ``Math.abs``, for
validation to judge before an instance meets it.

Those functions take numbers only (and ``max``/``min`` two values in time of one kind,
``abs`` a duration: :mod:`.c_like_math`); what else they are given fails when an instance
reaches the call. A constant (``Math.max('10', '9')``) is known from the text; a field's type
only from the definition, so a bare name is handed on for the validator to look up (aliases
resolved).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from wfengine.errors import ExpressionError
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.lexer import KEYWORD_NAMES
from wfengine.expressions.limits import Limits
from wfengine.expressions.positions import SourceMap
from wfengine.expressions.syntax import syntax_tree

#: the functions judged here (``round``, ``floor`` and ``ceil`` take numbers only too, but
#: always have: only these three took other values before)
CHECKED = frozenset({"Math.max", "Math.min", "Math.abs"})


@dataclass(frozen=True, slots=True)
class MathArgument:
    """One argument of a checked call that is a constant or a bare name."""

    #: the function, as ``Math.max``
    function: str
    #: the call's text, as written
    call: str
    #: the field the argument names (through the aliases), or None for a constant
    name: str | None
    #: the constant, when ``name`` is None
    value: Any = None


def math_arguments(
    text: str, dialect: Dialect, aliases: Mapping[str, str] | None = None
) -> list[MathArgument]:
    """The constant and bare-name arguments ``text`` gives a checked ``Math`` call; none for
    the native language (its ``max`` is Python's) or a text that does not parse."""
    if dialect is Dialect.NATIVE:
        return []
    try:
        tree = syntax_tree(text, Limits(), dialect)
    except (ExpressionError, RecursionError):
        return []
    return list(_arguments(tree.body, text, tree.source_map, aliases or {}))


def _arguments(
    body: ast.expr, text: str, source_map: SourceMap, aliases: Mapping[str, str]
) -> Iterator[MathArgument]:
    calls = [n for n in ast.walk(body) if isinstance(n, ast.Call)]
    for node in sorted(calls, key=source_map.start):  # (in the order written)
        if not isinstance(node.func, ast.Attribute):
            continue
        func = node.func
        if not isinstance(func.value, ast.Name):
            continue
        function = f"{func.value.id}.{func.attr}"
        if function not in CHECKED:
            continue
        call = text[source_map.start(node) : source_map.end(node)]
        for arg in node.args:
            if isinstance(arg, ast.Constant):
                yield MathArgument(function, call, None, arg.value)
            elif isinstance(arg, ast.Name):  # (a field named as a Python keyword: renamed)
                name = KEYWORD_NAMES.get(arg.id, arg.id)
                yield MathArgument(function, call, aliases.get(name, name))
