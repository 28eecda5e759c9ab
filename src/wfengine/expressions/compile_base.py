"""The compiler's base: dispatch by node type, error helpers, constants and names.

The node compilers (operators, comparisons, record fields and subscripts, displays, calls) are
mixins over :class:`CompilerBase`, each in its own module; ``compiler.py`` puts them together.
:meth:`CompilerBase.compile` finds ``compile_<NodeType>`` on the combined class, and refuses
every node type no mixin knows: that is the whitelist.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NoReturn

import wfengine.expressions.dialects as dialects
import wfengine.expressions.operators as operators
import wfengine.expressions.stored_reading as stored_reading
from wfengine.errors import ExpressionEvaluationError, ExpressionSyntaxError
from wfengine.expressions.compiled import Evaluator, constant_evaluator, describe
from wfengine.expressions.context import EvaluationContext
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.functions import STRING_METHODS, Function, functions
from wfengine.expressions.lexer import KEYWORD_NAMES
from wfengine.expressions.limits import Limits
from wfengine.expressions.positions import SourceMap

_CONSTANT_TYPES = (int, float, str, bool, type(None))

#: constructs refused by name, with the message saying what to write instead
FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Lambda: "lambda functions are not allowed",
    ast.ListComp: "comprehensions are not allowed; use any(), all(), sum(), min() or max()",
    ast.SetComp: "comprehensions are not allowed; use any(), all(), sum(), min() or max()",
    ast.DictComp: "comprehensions are not allowed; use any(), all(), sum(), min() or max()",
    ast.GeneratorExp: "comprehensions are not allowed; use any(), all(), sum(), min() or max()",
    ast.NamedExpr: "assignment (:=) is not allowed: expressions cannot change process data",
    ast.JoinedStr: "f-strings are not supported; use str() and '+'",
    ast.FormattedValue: "f-strings are not supported; use str() and '+'",
    ast.Starred: "unpacking with '*' is not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
    ast.Slice: "a slice is only allowed inside a subscript",
}


@dataclass(frozen=True, slots=True)
class _Tables:
    """What a dialect may call: plain functions, ``Class.method`` statics, value methods."""

    functions: dict[str, Function]
    statics: dict[str, Function]
    methods: dict[str, Function]


@lru_cache(maxsize=16)
def _tables(limits: Limits, dialect: Dialect, stored: bool) -> _Tables:
    """The tables of ``dialect``; ``stored``: as a stored deployment reads them (some of its
    functions keep an earlier wfengine's reading: :mod:`.stored_reading`)."""
    plain = functions(limits)
    statics = dialects.statics(dialect, limits, stored)
    if dialect is Dialect.NATIVE:
        statics = {q: plain[name] for q, name in dialects.NATIVE_ALIASES.items()}
    return _Tables(
        functions={**plain, **dialects.extra_functions(dialect, limits, stored)},
        statics=statics,
        methods={**STRING_METHODS, **dialects.methods(dialect, stored)},
    )


class CompilerBase:
    """State and helpers every node compiler shares; see :func:`.compiler.compile_expression`."""

    def __init__(
        self,
        source: str,
        source_map: SourceMap,
        limits: Limits,
        dialect: Dialect,
        aliases: Mapping[str, str],
    ) -> None:
        self.source = source
        self.map = source_map
        self.limits = limits
        self.dialect = dialect
        self.aliases = aliases
        self.stored = stored_reading.reading_stored()
        tables = _tables(limits, dialect, self.stored)
        self.functions = tables.functions
        self.statics = tables.statics
        self.methods = tables.methods
        self.multiply = operators.make_multiply(limits)
        self.power = operators.make_power(limits)
        self.names: set[str] = set()
        self.uses_context = False
        #: the calls whose sign alone is read (``a.compareTo(b) < 0``), in a stored deployment
        self.sign_tested: frozenset[int] = frozenset()

    # --- helpers ---------------------------------------------------------------------------

    def reject(self, message: str, node: ast.expr | ast.keyword) -> NoReturn:
        raise ExpressionSyntaxError(message, source=self.source, offset=self.map.start(node))

    def failure(self, node: ast.expr) -> Callable[[BaseException], ExpressionEvaluationError]:
        """Build the converter from a Python exception to an error pointing at ``node``."""
        source = self.source
        start, end = self.map.start(node), self.map.end(node)
        segment = source[start:end]
        whole = segment.strip() == source.strip()

        def fail(exc: BaseException) -> ExpressionEvaluationError:
            message = describe(exc)
            if not whole:
                message = f"{message} (evaluating {segment!r})"
            return ExpressionEvaluationError(message, source=source, offset=start)

        return fail

    def constant(self, node: ast.expr) -> tuple[bool, Any]:
        """``(True, value)`` if ``node`` is a literal (signed numbers and tuples included)."""
        if isinstance(node, ast.Constant):
            return True, self.literal(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            known, value = self.constant(node.operand)
            if known and type(value) in (int, float):
                return True, -value if isinstance(node.op, ast.USub) else +value
        if isinstance(node, ast.Tuple):
            items = [self.constant(e) for e in node.elts]
            if all(known for known, _ in items):
                return True, tuple(value for _, value in items)
        return False, None

    def literal(self, node: ast.Constant) -> Any:
        value = node.value
        if type(value) not in _CONSTANT_TYPES:
            kind = {complex: "complex numbers", bytes: "bytes literals"}.get(type(value))
            self.reject(f"{kind or repr(value)} not supported", node)
        if type(value) is int and value.bit_length() > self.limits.max_int_bits:
            self.reject(f"integer literal wider than {self.limits.max_int_bits} bits", node)
        return value

    # --- dispatch --------------------------------------------------------------------------

    def compile(self, node: ast.expr) -> Evaluator:
        known, value = self.constant(node)
        if known:
            return constant_evaluator(value)
        method: Callable[[Any], Evaluator] | None = getattr(
            self, "compile_" + type(node).__name__, None
        )
        if method is None:
            message = FORBIDDEN.get(type(node), f"{type(node).__name__} is not supported")
            self.reject(message, node)
        return method(node)

    # --- leaves ----------------------------------------------------------------------------

    def compile_Name(self, node: ast.Name) -> Evaluator:
        name = self.variable(node)
        self.names.add(name)
        source, offset = self.source, self.map.start(node)

        def load(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            try:
                return v[name]
            except KeyError:
                raise ExpressionEvaluationError(
                    f"unknown variable {name!r}", source=source, offset=offset
                ) from None

        return load

    def variable(self, node: ast.Name) -> str:
        """The variable ``node`` reads: its name through the aliases. A Java or JavaScript name
        that is a Python keyword (``from``) comes renamed from the lexer and is read back."""
        name = node.id
        if name.startswith("__"):
            name = self.renamed_keyword(name) or ""
            if not name:
                self.reject(f"names starting with '__' are reserved ({node.id!r})", node)
        return self.aliases.get(name, name)

    def renamed_keyword(self, name: str) -> str | None:
        """The Python keyword the lexer renamed to ``name`` in Java or JavaScript text
        (:data:`.lexer.KEYWORD_NAMES`), else None: any other ``__`` name is refused."""
        return KEYWORD_NAMES.get(name) if self.dialect is not Dialect.NATIVE else None

    def qualified(self, node: ast.Attribute) -> str | None:
        """``Math.max`` for an attribute of a bare name, else None."""
        if isinstance(node.value, ast.Name):
            return f"{node.value.id}.{node.attr}"
        return None
