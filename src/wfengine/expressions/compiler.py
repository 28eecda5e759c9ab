"""Turning a checked syntax tree into nested Python closures, once.

Why closures: the engine evaluates transition conditions hundreds of thousands of times per
second. Walking the syntax tree on every evaluation would pay for type dispatch at every node
every time; compiling pays for it once. Each closure takes the variables mapping and the
evaluation context and returns a value; operands that are names or constants are inlined into
their parent where it matters (``amount > 100``).

Why a whitelist: everything the compiler does not know is refused with a
:class:`~wfengine.errors.ExpressionSyntaxError` naming the construct and its offset. In
particular there is no attribute access (only calls of a few string methods, checked to be
strings at run time), no call of anything but the functions in :mod:`.functions`, no
comprehensions or lambdas (they would bring loops, scopes and multiplicative cost; ``any``,
``all``, ``sum``, ``min`` and ``max`` cover what conditions need), no assignment (``:=``;
expressions read process data, they never write it) and no f-strings (their format specs are a
second language with its own ways to allocate; ``str()`` and ``+`` suffice).

Errors at run time: each closure that can fail converts the Python exception into an
:class:`~wfengine.errors.ExpressionEvaluationError` carrying the offset and text of the
sub-expression that failed. ``try`` costs nothing in CPython 3.11+ until something raises.

Layout: this module is the entry point (:func:`compile_expression`, and the names of
:mod:`.compiled` it has always offered). :mod:`.compile_base` holds the dispatch and helpers;
the node compilers are mixins by construct: :mod:`.compile_operators`,
:mod:`.compile_comparisons`, :mod:`.compile_access` (record fields, subscripts, slices),
:mod:`.compile_displays` and :mod:`.compile_calls`.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from wfengine.expressions.compile_access import AccessCompiler
from wfengine.expressions.compile_calls import CallCompiler
from wfengine.expressions.compile_comparisons import ComparisonCompiler
from wfengine.expressions.compile_displays import DisplayCompiler
from wfengine.expressions.compile_operators import OperatorCompiler
from wfengine.expressions.compile_stored_notes import sign_tested
from wfengine.expressions.compiled import CONVERTED, Compiled, Evaluator, describe
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.limits import Limits
from wfengine.expressions.positions import SourceMap

__all__ = ["CONVERTED", "Compiled", "Evaluator", "compile_expression", "describe"]


def compile_expression(
    body: ast.expr,
    source: str,
    source_map: SourceMap,
    limits: Limits,
    dialect: Dialect = Dialect.NATIVE,
    aliases: Mapping[str, str] | None = None,
) -> Compiled:
    """Compile the body of a parsed (and size-checked) expression.

    ``aliases`` maps names the text may use onto the variable each stands for (a data field
    referred to by its Name where the variables are keyed by Id).
    """
    compiler = _Compiler(source, source_map, limits, dialect, aliases or {})
    if compiler.stored:  # (what its notes may leave out)
        compiler.sign_tested = sign_tested(body)
    evaluator = compiler.compile(body)
    return Compiled(evaluator, frozenset(compiler.names), compiler.uses_context)


class _Compiler(
    OperatorCompiler, ComparisonCompiler, AccessCompiler, DisplayCompiler, CallCompiler
):
    """Every node compiler in one class, so :meth:`CompilerBase.compile` finds them all."""
