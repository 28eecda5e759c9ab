"""Expressions as the engine holds them: parsed once at deploy time, evaluated many times.

The parser and evaluator are :mod:`wfengine.expressions` (safe, sandboxed, bounded). This
module only binds an expression to *where* it lives (process, activity, transition), so that
an evaluation error names the instance, the activity and the expression, and so the engine
never touches expression text after deployment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from wfengine.errors import DeployError, ExpressionError, ExpressionEvaluationError


class _Parsed(Protocol):
    names: Any

    def evaluate(self, variables: Mapping[str, Any], *, now: Callable[[], datetime]) -> Any: ...


def _parse(text: str) -> _Parsed:
    from wfengine.expressions import parse  # imported late: a sibling package, built alongside

    parsed: _Parsed = parse(text)
    return parsed


class CompiledExpression:
    """One parsed expression and the place in the definition it comes from."""

    __slots__ = ("_evaluate", "names", "text", "where")

    def __init__(self, text: str, where: str, *, defer_errors: bool = False) -> None:
        self.text = text
        self.where = where
        try:
            parsed = _parse(text)
        except ExpressionError as exc:
            if not defer_errors:
                raise DeployError(f"{where}: {exc}") from exc
            self.names: frozenset[str] = frozenset()
            self._evaluate = _unparseable(text, exc)
            return
        self.names = frozenset(getattr(parsed, "names", ()) or ())
        self._evaluate = parsed.evaluate

    def evaluate(
        self, variables: Mapping[str, Any], now: Callable[[], datetime], context: str
    ) -> Any:
        """Evaluate against ``variables``; errors say ``context`` (instance) and ``where``."""
        try:
            return self._evaluate(variables, now=now)
        except ExpressionError as exc:
            raise exc.with_context(f"{context}, {self.where}") from exc
        except Exception as exc:  # a bug in an evaluator must not half-navigate an instance
            raise ExpressionEvaluationError(
                f"{type(exc).__name__}: {exc}", source=self.text, context=f"{context}, {self.where}"
            ) from exc

    def __repr__(self) -> str:
        return f"CompiledExpression({self.text!r})"


def _unparseable(text: str, error: ExpressionError) -> Callable[..., Any]:
    """An evaluator that fails as the parser did: the error surfaces where the text is used."""

    def evaluate(variables: Mapping[str, Any], *, now: Callable[[], datetime]) -> Any:
        raise ExpressionEvaluationError(
            f"expression in a foreign script language cannot be evaluated ({error.message}); "
            "rewrite it in wfengine's expression language",
            source=text,
        )

    return evaluate


def compile_optional(
    text: str | None, where: str, *, defer_errors: bool = False
) -> CompiledExpression | None:
    """``None`` for a missing or blank expression, else the compiled expression."""
    if text is None or not text.strip():
        return None
    return CompiledExpression(text.strip(), where, defer_errors=defer_errors)


class ExpressionCompiler:
    """Compiles one package's expressions, strictly or leniently by its script language.

    A package in wfengine's own expression language (no Script, or a native script type) must
    parse completely: a syntax error refuses the deployment, as validation reports it as an
    error. A package declaring a foreign language (``text/javascript`` from JaWE and Shark,
    ``java``, ...) deploys; an expression in it that does not parse is kept and fails only
    when an instance reaches it, as an incident at that activity (validation reports it as the
    warning ``expression-foreign``). Most such files' conditions are simple enough to parse.
    """

    def __init__(self, script_type: str | None) -> None:
        from wfengine.expressions import is_native_script

        self.defer_errors = not is_native_script(script_type)

    def required(self, text: str, where: str) -> CompiledExpression:
        return CompiledExpression(text, where, defer_errors=self.defer_errors)

    def optional(self, text: str | None, where: str) -> CompiledExpression | None:
        return compile_optional(text, where, defer_errors=self.defer_errors)
