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

from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.lexer import translate
from wfengine.expressions.limits import Limits
from wfengine.expressions.positions import SourceMap

_DETECTED_AT = re.compile(r"\s*\(detected at line \d+\)")
_PREVIEW = 80


def syntax_tree(text: str, limits: Limits, dialect: Dialect) -> tuple[ast.expr, SourceMap]:
    """The checked tree of ``text`` and the map from the rewritten text back to ``text``.

    Raises :class:`~wfengine.errors.ExpressionSyntaxError` for text that is too long, nests
    too deeply, does not parse or makes too large a tree.
    """
    if len(text) > limits.max_source_length:
        raise ExpressionSyntaxError(
            f"expression is {len(text)} characters long; the limit is {limits.max_source_length}",
            # the message must stay readable: name the start, not a megabyte of text
            source=text[:_PREVIEW] + "...",
            offset=limits.max_source_length,
        )
    c_syntax = dialect is not Dialect.NATIVE
    source_map = SourceMap(translate(text, limits, c_syntax=c_syntax))
    body = _parse_tree(text, source_map)
    _check_size(body, text, source_map, limits)
    return body, source_map


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
        raise ExpressionSyntaxError(
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
            raise ExpressionSyntaxError(problem, source=text, offset=offset)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr | ast.keyword):
                stack.append((child, depth + 1))
