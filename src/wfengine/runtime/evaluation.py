"""Expressions as the engine holds them: read once at deploy time, evaluated many times.

The definition layer decides what each text of a definition is (:mod:`wfengine.definition.
reading`: an expression in some dialect, a label, a literal, unparseable); this module only
binds that reading to *where* it lives (process, activity, transition), so that an evaluation
error names the instance, the activity and the expression, and so the engine never touches
expression text after deployment.

What evaluating each kind of reading does:

* an expression: the sandboxed evaluator of :mod:`wfengine.expressions`;
* a literal (``PT10M``, an initial value ``nobody``): its value;
* a label (``Claim accepted``): fails with :class:`LabelReachedError`, which the navigator
  turns into an incident an operator resolves by choosing the way on;
* a JavaScript/Java/foreign text the front ends do not read: fails with the parser's reason,
  as an incident where an instance reaches it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from wfengine.definition.model import Attrs, BasicTypeKind, DataField, DataType
from wfengine.definition.reading import (
    Reading,
    ReadKind,
    basic_kind,
    language_name,
    read_duration,
    read_expression,
    read_initial_value,
    site_language,
)
from wfengine.errors import (
    DeployError,
    ExpressionError,
    ExpressionEvaluationError,
    Place,
    place_text,
)
from wfengine.expressions import Language
from wfengine.expressions.c_like import c_like_truth
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.limits import ExpressionLimitError

Evaluate = Callable[[Mapping[str, Any], Callable[[], datetime]], Any]


class LabelReachedError(ExpressionEvaluationError):
    """An instance reached a label that stands where an expression belongs."""


class CompiledExpression:
    """One read text and the place in the definition it comes from."""

    __slots__ = ("_evaluate", "_truth", "kind", "names", "text", "where")

    def __init__(
        self,
        text: str | None,
        where: str,
        evaluate: Evaluate,
        names: frozenset[str],
        kind: ReadKind,
        truth: Callable[[Any], bool] = bool,
    ) -> None:
        #: the text as the definition writes it; for a condition left empty where its
        #: activity chooses, the way's Name (None when it has none): see ``decision``
        self.text = text
        self.where = where
        self.names = names
        self.kind = kind
        self._evaluate = evaluate
        self._truth = truth

    def holds(
        self,
        variables: Mapping[str, Any],
        now: Callable[[], datetime],
        context: Place,
    ) -> bool:
        """Whether it holds as a condition: its value tested as its language tests one
        (JavaScript and Java: ``NaN`` fails, an empty list holds, where Python's ``bool``
        says the opposite: :mod:`wfengine.expressions.c_like`). Raises as :meth:`evaluate`."""
        return self._truth(self.evaluate(variables, now, context))

    def evaluate(
        self,
        variables: Mapping[str, Any],
        now: Callable[[], datetime],
        context: Place,
    ) -> Any:
        """Evaluate against ``variables``; errors say ``context`` (instance) and ``where``
        (``context`` made only for an error, see :data:`~wfengine.errors.Place`)."""
        try:
            return self._evaluate(variables, now)
        except ExpressionError as exc:
            raise exc.with_context(f"{place_text(context)}, {self.where}") from exc
        except Exception as exc:  # a bug in an evaluator must not half-navigate an instance
            raise ExpressionEvaluationError(
                f"{type(exc).__name__}: {exc}",
                source=self.text,
                context=f"{place_text(context)}, {self.where}",
            ) from exc

    @property
    def constant(self) -> bool:
        """True for a literal: the same value at every evaluation."""
        return self.kind is ReadKind.LITERAL

    def __repr__(self) -> str:
        return f"CompiledExpression({self.text!r})"


def compiled(
    reading: Reading, where: str, shared: Mapping[str, tuple[str, ...]] | None = None
) -> CompiledExpression:
    """Bind ``reading`` to ``where``; a refused reading (a native syntax error) raises
    :class:`DeployError` (validation reports it first, as ``expression-syntax``).
    ``shared``: the Names several fields carry (which stand for none of them): a text using
    one that fails for it as an unknown variable says which fields share the Name."""
    text = reading.text
    if reading.kind is ReadKind.EXPRESSION:
        assert reading.expression is not None
        parsed = reading.expression

        def expression(variables: Mapping[str, Any], now: Callable[[], datetime]) -> Any:
            return parsed.evaluate(variables, now=now)

        run = naming_shared(expression, parsed.names, shared)
        truth = bool if parsed.dialect is Dialect.NATIVE else c_like_truth
        return CompiledExpression(text, where, run, parsed.names, reading.kind, truth)
    if reading.kind is ReadKind.LITERAL:
        value = reading.value

        def literal(variables: Mapping[str, Any], now: Callable[[], datetime]) -> Any:
            return value

        c_like = reading.language in (Language.JAVASCRIPT, Language.JAVA)
        return CompiledExpression(
            text, where, literal, frozenset(), reading.kind, c_like_truth if c_like else bool
        )
    if reading.kind is ReadKind.LABEL:

        def label(variables: Mapping[str, Any], now: Callable[[], datetime]) -> Any:
            raise LabelReachedError(
                f"{text!r} is a label for people, not an expression: it cannot be evaluated; "
                "choose the way on (wfengine incident skip ID --take TRANSITION), or fix the "
                "definition",
                source=text,
            )

        return CompiledExpression(text, where, label, frozenset(), reading.kind)
    error = reading.error
    assert error is not None
    if reading.refused and reading.language is Language.NATIVE:
        raise DeployError(f"{where}: {error}")
    reason = error.message
    language = language_name(reading.language)
    if isinstance(error, ExpressionLimitError):
        # (deploying refuses it now; a deployment stored before that did is compiled without
        # validation: the limits hold in every language, so rewriting it would not help)
        advice = f"expression in {language} over wfengine's expression limits ({reason})"
        advice += "; shorten it or nest it less, and redeploy the process"
    else:
        if reading.language is not Language.FOREIGN:  # (that one's name says it is not read)
            language = f"{language} that wfengine does not read"
        advice = (
            f"expression in {language} ({reason}); rewrite it in wfengine's expression language"
        )

    def unreadable(variables: Mapping[str, Any], now: Callable[[], datetime]) -> Any:
        raise ExpressionEvaluationError(advice, source=text)

    return CompiledExpression(text, where, unreadable, frozenset(), reading.kind)


def naming_shared(
    evaluate: Callable[[Mapping[str, Any], Callable[[], datetime]], Any],
    names: frozenset[str],
    shared: Mapping[str, tuple[str, ...]] | None,
) -> Callable[[Mapping[str, Any], Callable[[], datetime]], Any]:
    """``evaluate`` (of a text using ``names``) whose "unknown variable 'amount'" names the
    fields sharing the Name (``shared``: the Names several fields carry); ``evaluate`` itself
    when the text uses none of them (only such texts pay for the wrapping). Public for the
    evaluations built outside :func:`compiled` (a timer's ``TimeDate``: compile_events)."""
    used = sorted(names & set(shared)) if shared else []
    if not used:
        return evaluate
    assert shared is not None
    return _naming_shared(evaluate, {name: shared[name] for name in used})


def _naming_shared(
    evaluate: Callable[[Mapping[str, Any], Callable[[], datetime]], Any],
    shared: Mapping[str, tuple[str, ...]],
) -> Callable[[Mapping[str, Any], Callable[[], datetime]], Any]:
    """``evaluate`` whose "unknown variable 'amount'" names the fields sharing the Name."""

    def naming(variables: Mapping[str, Any], now: Callable[[], datetime]) -> Any:
        try:
            return evaluate(variables, now)
        except ExpressionEvaluationError as exc:
            for name, ids in shared.items():
                if exc.message == f"unknown variable {name!r}" and name not in variables:
                    fields = ", ".join(repr(i) for i in ids)
                    raise ExpressionEvaluationError(
                        f"{exc.message}: data fields or parameters {fields} are all named "
                        f"{name!r}, so the Name stands for none of them; use one's Id",
                        source=exc.source,
                        offset=exc.offset,
                        context=exc.context,
                    ) from exc
            raise

    return naming


class ExpressionReader:
    """Reads one process's texts in its package's language, with its name aliases."""

    def __init__(
        self,
        language: Language,
        aliases: Mapping[str, str],
        fields: frozenset[str] = frozenset(),
        shared: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.language = language
        self.aliases = aliases
        #: the Names several fields carry, named when a text fails for one (checks.readings)
        self.shared = shared
        #: the data fields and formal parameters a text may name (a field called ``PT1H30``)
        self.fields = fields

    def required(self, text: str, where: str, attrs: Attrs = ()) -> CompiledExpression:
        language = site_language(self.language, attrs)
        return compiled(read_expression(text, language, self.aliases), where, self.shared)

    def optional(
        self, text: str | None, where: str, attrs: Attrs = ()
    ) -> CompiledExpression | None:
        """None for a missing or blank expression, else the compiled expression."""
        if text is None or not text.strip():
            return None
        return self.required(text, where, attrs)

    def decision(self, name: str | None, where: str) -> CompiledExpression:
        """A way whose CONDITION was left empty where its activity chooses among several: a
        decision for people, as a label is. Its text is the way's ``name``, the words people
        know the way by (a UI offers it under them), and None when it has none: its Id is no
        text of the condition, and an incident quoting it as one sent operators looking for
        an expression that was never written."""
        text = name if name and name.strip() else None
        named = f" (the way {text!r})" if text is not None else ""

        def empty(variables: Mapping[str, Any], now: Callable[[], datetime]) -> Any:
            raise LabelReachedError(
                f"it is empty{named}, so the definition leaves this choice to people: choose "
                "the way on (wfengine incident skip ID --take TRANSITION), or write the "
                "condition in the definition"
            )

        return CompiledExpression(text, where, empty, frozenset(), ReadKind.LABEL)

    def duration(self, text: str, where: str, attrs: Attrs = ()) -> CompiledExpression:
        language = site_language(self.language, attrs)
        reading = read_duration(text, language, self.aliases, self.fields)
        return compiled(reading, where, self.shared)

    def initial_value(
        self, field: DataField, types: Mapping[str, DataType], where: str
    ) -> CompiledExpression | None:
        reading = read_initial_value(field, self.language, types, self.aliases)
        if reading is None:
            return None
        if reading.not_of_type is not None:
            return stored_wrong_type(reading, basic_kind(field.data_type, types), where)
        return compiled(reading, where, self.shared)


def stored_wrong_type(
    reading: Reading, kind: BasicTypeKind | None, where: str
) -> CompiledExpression:
    """An initial value that is an ISO 8601 text of no value of its field's type (a DATE
    with a time of day, or a midnight at an offset other than UTC's), or a quoted text that
    does not parse (over the length limit, ``"C:\\docs"`` in Java).

    Why here: deploying refuses such a definition (validation's ``initial-value-type``), but
    one deployed by an older wfengine, which took them, is stored and never validated again.
    A DATE keeps what that engine gave, the date as written (``2024-01-01T10:30:00+02:00``
    is 1 January), so instances of a running process do not change value between versions;
    anything else refuses when an instance is created, naming the field, rather than put
    the text into a field of another type."""
    text, reason = reading.text, reading.not_of_type
    if kind is BasicTypeKind.DATE:
        try:
            written = datetime.fromisoformat(text).date()
        except ValueError:
            pass
        else:
            return compiled(replace(reading, value=written, not_of_type=None), where)

    def refuse(variables: Mapping[str, Any], now: Callable[[], datetime]) -> Any:
        raise ExpressionEvaluationError(
            f"the initial value {text!r} is no value of the field's type: {reason}; "
            "redeploy the process with a value of the type",
            source=text,
        )

    return CompiledExpression(text, where, refuse, frozenset(), reading.kind)
