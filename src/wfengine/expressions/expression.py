"""The compiled expression: what the validator inspects and the engine evaluates.

It is built here from text (:func:`build_expression`, cached, behind
:func:`wfengine.expressions.parse`) because an expression pickles as its text and is
rebuilt from it (:func:`reparse`): the class and the way to rebuild it belong together, and
nothing this module imports needs the class back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any, NoReturn

import wfengine.expressions.stored_reading as stored_reading
from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions.c_like import c_like_truth
from wfengine.expressions.compiler import (
    CONVERTED,
    Compiled,
    Evaluator,
    compile_expression,
    describe,
)
from wfengine.expressions.context import NO_CONTEXT, EvaluationContext, NeedsContext
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.limits import ExpressionLimitError, Limits
from wfengine.expressions.name_spelling import composing_stored_names, names_composed
from wfengine.expressions.shared_budget import current_budget
from wfengine.expressions.syntax import syntax_tree

#: name -> variable pairs, sorted (hashable, for caching and equality)
Aliases = tuple[tuple[str, str], ...]


class Expression:
    """A parsed and compiled expression. Immutable; safe to share between threads.

    Build one with :func:`wfengine.expressions.parse`. Equal when source, limits, dialect and
    aliases are equal.
    """

    __slots__ = (
        "_aliases",
        "_evaluator",
        "_limits",
        "_uses_context",
        "dialect",
        "names",
        "source",
    )

    source: str
    names: frozenset[str]
    dialect: Dialect
    _evaluator: Evaluator
    _uses_context: bool
    _limits: Limits
    _aliases: Aliases

    def __init__(
        self,
        source: str,
        compiled: Compiled,
        limits: Limits,
        dialect: Dialect = Dialect.NATIVE,
        aliases: Aliases = (),
    ) -> None:
        set_ = object.__setattr__
        set_(self, "source", source)
        set_(self, "names", compiled.names)
        set_(self, "dialect", dialect)
        set_(self, "_evaluator", compiled.evaluator)
        set_(self, "_uses_context", compiled.uses_context)
        set_(self, "_limits", limits)
        set_(self, "_aliases", aliases)

    def evaluate(
        self, variables: Mapping[str, Any], *, now: Callable[[], datetime] | None = None
    ) -> Any:
        """Evaluate against ``variables`` (data fields and parameters by name).

        ``now`` is the clock behind ``now()`` and ``today()``; the default is the system clock
        in UTC. The engine passes its own, injectable clock so runs are reproducible.

        Raises :class:`~wfengine.errors.ExpressionEvaluationError` for an unknown variable, a
        type error, a division by zero, an exceeded cost limit and the like.
        """
        try:
            if not self._uses_context:
                return self._evaluator(variables, NO_CONTEXT)
            shared = current_budget()  # (a script's statements share one: .shared_budget)
            if shared is None:
                return self._evaluator(variables, EvaluationContext(self._limits.max_work, now))
            return shared.run(self._evaluator, variables, self._limits.max_work, now)
        except NeedsContext:  # a comparison of containers, a long text: again, with a budget
            # and with one from now on: a condition on a process's long text (an e-mail body)
            # was evaluated twice on every run, once to find it needs one
            object.__setattr__(self, "_uses_context", True)
            return self._evaluate_with_budget(variables, now)
        except CONVERTED as exc:  # not caught by a node: e.g. truth value of a host object
            raise ExpressionEvaluationError(describe(exc), source=self.source) from exc

    def holds(
        self, variables: Mapping[str, Any], *, now: Callable[[], datetime] | None = None
    ) -> bool:
        """Whether the expression, as a condition, holds: its value tested as its dialect
        tests one. In JavaScript and Java ``NaN`` fails and an empty list or record holds
        (:mod:`.c_like`), where Python's ``bool`` says the opposite; the native language
        keeps ``bool``. Raises as :meth:`evaluate` does."""
        value = self.evaluate(variables, now=now)
        return bool(value) if self.dialect is Dialect.NATIVE else c_like_truth(value)

    def _evaluate_with_budget(
        self, variables: Mapping[str, Any], now: Callable[[], datetime] | None
    ) -> Any:
        """Evaluate with a budget: a fresh one, or the one the evaluations around share (a
        script's statements: :mod:`.shared_budget`)."""
        shared = current_budget()
        try:
            if shared is None:
                return self._evaluator(variables, EvaluationContext(self._limits.max_work, now))
            return shared.run(self._evaluator, variables, self._limits.max_work, now)
        except CONVERTED as exc:  # not caught by a node: e.g. truth value of a host object
            raise ExpressionEvaluationError(describe(exc), source=self.source) from exc

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expression):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[str, Limits, Dialect, Aliases]:
        return (self.source, self._limits, self.dialect, self._aliases)

    def __reduce__(
        self,
    ) -> tuple[Callable[..., Expression], tuple[str, Limits, Dialect, Aliases]]:
        # closures do not pickle; the text does, and parsing it again gives the same expression
        return reparse, self._key()


class _Builder:
    """:func:`build_expression`: a callable with the cache's ``cache_clear``."""

    def __call__(self, text: str, limits: Limits, dialect: Dialect, aliases: Aliases) -> Expression:
        """The expression of ``text``, built once per (text, limits, dialect, aliases) and
        per reading: as a new definition's, or as a stored deployment's, whose names spelt
        decomposed are read composed (:func:`~.name_spelling.composing_stored_names`).

        Cached because the validator and the engine parse the same conditions of a
        definition; sharing the result is safe because an :class:`Expression` is immutable.
        Why the reading is part of the key: a stored deployment's parse accepts what a new
        definition's may not, and one cache for both handed it to a new deployment of the
        same text, compiled meanwhile in another thread, which was then never refused. A
        stored deployment's parse keeps the decomposed names it met, and what it read as then
        (:mod:`.stored_reading`), told to every reading that takes it from the cache (the
        compiler warns of them each time).
        """
        composing = names_composed()
        expression, met, notes = _built(text, limits, dialect, aliases, composing is not None)
        if composing is not None and met:
            composing.update(met)
        for found in notes:  # (what reads as it did then: .stored_reading)
            stored_reading.keep(found)
        return expression

    def cache_clear(self) -> None:
        """Forget every expression built (no reading needs it: each has its own entries)."""
        _built.cache_clear()


build_expression = _Builder()


@lru_cache(maxsize=4096)
def _built(
    text: str, limits: Limits, dialect: Dialect, aliases: Aliases, composing: bool
) -> tuple[Expression, frozenset[str], frozenset[stored_reading.StoredNote]]:
    """The expression of ``text``, the decomposed names read composed in it and the notes of
    what else it reads as then (none unless ``composing``: see :func:`build_expression`)."""
    if not composing:
        return _build(text, limits, dialect, aliases), frozenset(), frozenset()
    # (sets of their own: this text's)
    with composing_stored_names() as met, stored_reading.noting_stored_readings() as notes:
        expression = _build(text, limits, dialect, aliases)
    return expression, frozenset(met), frozenset(notes)


def _build(text: str, limits: Limits, dialect: Dialect, aliases: Aliases) -> Expression:
    """The expression of ``text``, not cached.

    Reading and compiling recurse only as deep as the limits let the text nest; should the
    host call this with little of its stack left, the text is refused rather than letting a
    RecursionError escape to a caller that expects only the expression errors.
    """
    try:
        tree = syntax_tree(text, limits, dialect)
        compiled = compile_expression(
            tree.body, text, tree.source_map, limits, dialect, dict(aliases)
        )
        if tree.keyword_problem is not None:  # compiling named no construct to refuse
            raise tree.keyword_problem
    except RecursionError:
        raise ExpressionLimitError(
            "expression nests too deeply to read", source=text, offset=0
        ) from None
    return Expression(text, compiled, limits, dialect, aliases)


def reparse(
    text: str, limits: Limits, dialect: Dialect = Dialect.NATIVE, aliases: Aliases = ()
) -> Expression:
    """Unpickling hook of :class:`Expression`."""
    return build_expression(text, limits, dialect, aliases)
