"""From text to a checked syntax tree: size guards, JavaScript rewrite, parse, size check.

The order matters. Length is checked before anything reads the text; bracket nesting on tokens
before Python's parser (which can exhaust its stack on deep input); tree size and depth before
the recursive compiler. Python's parser is used only to build a syntax tree of the rewritten
text; nothing is ever executed, and nothing the compiler does not know gets past it.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass

from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.lexer import translate
from wfengine.expressions.limits import ExpressionLimitError, Limits
from wfengine.expressions.positions import SourceMap

_DETECTED_AT = re.compile(r"\s*\(detected at line \d+\)")
_PREVIEW = 80


@dataclass(frozen=True, slots=True)
class Tree:
    """What :func:`syntax_tree` read."""

    body: ast.expr
    source_map: SourceMap
    #: set when ``body`` is the text read with Python's keywords, as the Java or JavaScript
    #: text did not parse with them as names: compiling ``body`` names a construct outside
    #: the language (``lambda``, ``x is 5``); if it compiles, this is the error to raise
    keyword_problem: ExpressionSyntaxError | None = None


#: what a Java or JavaScript text says for Python's keywords written as operators or literals
#: (also for ``not(x)``, a call of the name ``not``: :mod:`.compile_calls`)
KEYWORD_HINTS = {
    "and": "write '&&'",
    "or": "write '||'",
    "not": "write '!'",
    "is": "write '==' (or '!=')",
    "None": "write 'null'",
    "True": "write 'true'",
    "False": "write 'false'",
}


_LITERAL_KEYWORDS = frozenset({"None", "True", "False"})


class KeywordOperatorError(ExpressionSyntaxError):
    """A Java or JavaScript text that reads only with Python's keywords as operators (``x is
    null``, ``a and b``, ``not x``): written as an expression, never a label for people, so a
    definition's reader refuses it with the operator to write rather than taking its words
    for a branch label (:func:`wfengine.definition.reading.read_expression`)."""


def syntax_tree(text: str, limits: Limits, dialect: Dialect) -> Tree:
    """The checked tree of ``text`` and the map from the rewritten text back to ``text``.

    Raises :class:`~wfengine.errors.ExpressionSyntaxError` for text that is too long, nests
    too deeply, does not parse or makes too large a tree.

    In Java and JavaScript, Python's keywords are plain names (a field ``from``). A text that
    parses only with them as Python's keywords (``lambda: 1``, ``x is null``) is read that
    way too, so that its refusal names the construct (:attr:`Tree.keyword_problem`).
    """
    if len(text) > limits.max_source_length:
        raise ExpressionLimitError(
            f"expression is {len(text)} characters long; the limit is {limits.max_source_length}",
            # the message must stay readable: name the start, not a megabyte of text
            source=text[:_PREVIEW] + "...",
            offset=limits.max_source_length,
        )
    c_syntax, java = dialect is not Dialect.NATIVE, dialect is Dialect.JAVA
    translated = translate(text, limits, c_syntax=c_syntax, java=java)
    source_map = SourceMap(translated)
    problem = None
    try:
        body = _parse_tree(text, source_map)
    except ExpressionSyntaxError as exc:
        if not translated.renamed:
            raise
        python_map = SourceMap(
            translate(text, limits, c_syntax=True, python_keywords=True, java=java)
        )
        try:
            body = _parse_tree(text, python_map)
        except ExpressionSyntaxError:
            raise exc from None
        source_map = python_map
        # the culprit is a keyword Python reads as syntax, not one that is also a name
        name, offset = next(
            (r for r in translated.renamed if r[0] not in _LITERAL_KEYWORDS), translated.renamed[0]
        )
        language = "Java" if dialect is Dialect.JAVA else "JavaScript"
        hint = KEYWORD_HINTS.get(name, "Python's syntax is not read here")
        problem = KeywordOperatorError(
            f"{name!r} is a plain name in {language}, not Python's keyword; {hint}",
            source=text,
            offset=offset,
        )
    _check_size(body, text, source_map, limits)
    return Tree(body, source_map, problem)


def _parse_tree(text: str, source_map: SourceMap) -> ast.expr:
    try:
        # Warnings (invalid escapes, "is" with a literal) would reach the host's stderr, or
        # become errors under -W error; the language reports its own problems instead.
        # (catch_warnings swaps process-wide state; parsing happens at deploy time, not in
        # the per-step hot path, so the brief window is acceptable.)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source_map.text, mode="eval")
    except SyntaxError as exc:
        message = _DETECTED_AT.sub("", exc.msg or "invalid syntax")
        if exc.lineno and exc.offset:
            offset = source_map.char_offset(exc.lineno, exc.offset - 1)
        else:  # Python gives no column when the text ends too early
            offset = source_map.end_offset()
        raise ExpressionSyntaxError(message, source=text, offset=offset) from None
    except (MemoryError, RecursionError):  # the parser's own stack limit
        raise ExpressionLimitError(
            "expression nests operators too deeply", source=text, offset=0
        ) from None
    except ValueError as exc:  # e.g. NUL characters
        raise ExpressionSyntaxError(str(exc), source=text, offset=0) from None
    return tree.body


def _check_size(body: ast.expr, text: str, source_map: SourceMap, limits: Limits) -> None:
    """Refuse trees with too many nodes or too deep, walking without recursion."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(body, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        problem = None
        if count > limits.max_nodes:
            problem = f"expression has more than {limits.max_nodes} parts"
        elif depth > limits.max_depth:
            problem = f"expression nests more than {limits.max_depth} levels deep"
        if problem is not None:
            offset = source_map.start(node) if isinstance(node, ast.expr | ast.keyword) else 0
            raise ExpressionLimitError(problem, source=text, offset=offset)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr | ast.keyword):
                stack.append((child, depth + 1))
