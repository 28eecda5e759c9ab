"""The findings about one reading of a text (:mod:`wfengine.definition.reading`): shared by
the expression checks and the initial-value checks, so that both word them alike."""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.reading import Reading, ReadKind, UnreadDurationError, language_name

#: how much of an expression a message quotes (scripts in deadlines run to many lines)
_QUOTED = 80


def quote(text: str) -> str:
    """``text`` quoted for a message, shortened when long."""
    return repr(text if len(text) <= _QUOTED else text[: _QUOTED - 3] + "...")


def reading_findings(
    reading: Reading,
    what: str,
    element_id: str,
    line: int | None,
    known: set[str],
    *,
    unknown_is_error: bool = False,
) -> Iterator[Diagnostic]:
    """The findings about one reading of a text."""
    text = quote(reading.text)
    if reading.kind is ReadKind.LABEL and unknown_is_error:  # an initial value
        yield make(
            "expression-label",
            f"{what} is a label for people, not an expression (in {text}): no instance could "
            "be created, as no one can choose a value for it",
            element_id=element_id,
            line=line,
            severity=Severity.ERROR,
        )
    elif reading.kind is ReadKind.LABEL:
        yield make(
            "expression-label",
            f"{what} is a label for people, not an expression (in {text}); an instance that "
            "reaches it stops with an incident until an operator chooses the way on",
            element_id=element_id,
            line=line,
        )
    elif reading.kind is ReadKind.UNPARSEABLE:
        assert reading.error is not None
        if isinstance(reading.error, UnreadDurationError):  # P1M, R0/PT1H
            yield make(
                "expression-syntax",
                f"{what} is {text}: {reading.error.message}",
                element_id=element_id,
                line=line,
            )
        elif reading.refused:
            yield make(
                "expression-syntax",
                f"{what} does not parse: {reading.error.message} (in {text})",
                element_id=element_id,
                line=line,
            )
        else:
            yield make(
                "expression-foreign",
                f"{what} is in {language_name(reading.language)} beyond what wfengine reads "
                f"({reading.error.message}; in {text}); an instance reaching it stops with "
                "an incident",
                element_id=element_id,
                line=line,
            )
    elif reading.kind is ReadKind.EXPRESSION:
        assert reading.expression is not None
        for name in sorted(reading.expression.names - known):
            if unknown_is_error:
                yield make(
                    "expression-unknown-name",
                    f"{what} uses {name!r}, which is no data field declared before it: an "
                    "initial value sees only the fields declared earlier",
                    element_id=element_id,
                    line=line,
                    severity=Severity.ERROR,
                )
                continue
            yield make(
                "expression-unknown-name",
                f"{what} uses {name!r}, which is no data field or formal parameter "
                "of the process or package",
                element_id=element_id,
                line=line,
            )
