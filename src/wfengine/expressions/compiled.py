"""What compiling an expression produces, and how a failed evaluation is described.

Apart from the compiler so that :class:`~wfengine.expressions.expression.Expression`, which
runs the closures and converts what escapes them, needs none of the compiler's machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from wfengine.expressions.context import EvaluationContext
from wfengine.expressions.limits import LimitExceeded

Evaluator = Callable[[Mapping[str, Any], EvaluationContext], Any]

#: what an expression can make Python raise; converted to ExpressionEvaluationError
CONVERTED: tuple[type[BaseException], ...] = (
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    RecursionError,
    MemoryError,
    LimitExceeded,
)


@dataclass(frozen=True, slots=True)
class Compiled:
    """The compiled form of one expression."""

    evaluator: Evaluator
    #: free variable names the expression reads
    names: frozenset[str]
    #: whether evaluation needs a fresh :class:`EvaluationContext` (budget or clock)
    uses_context: bool


def describe(exc: BaseException) -> str:
    """A short message for a Python exception raised while evaluating."""
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, RecursionError):
        return "expression nests too deeply to evaluate"
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, OverflowError):
        return f"numeric overflow: {exc.args[-1] if exc.args else exc}"
    if isinstance(exc, KeyError) and exc.args:
        return f"key {exc.args[0]!r} not found"
    text = str(exc)
    return text if text else type(exc).__name__


def constant_evaluator(value: Any) -> Evaluator:
    """The closure of a value known at compile time (a literal, a folded constant)."""

    def constant(v: Mapping[str, Any], c: EvaluationContext) -> Any:
        return value

    return constant
