"""A call's actual parameters against the formal parameters they meet: their count, and an
actual for an OUT or INOUT formal naming a variable that receives the value (the checks of
tool calls and subflows alike, :mod:`.references`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from wfengine.definition.checks.context import Context, Scope, is_plain_name
from wfengine.definition.checks.parameter_types import type_findings
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.model import Activity, FormalParameter, ParameterMode
from wfengine.definition.reading import name_aliases

__all__ = ["call_parameters"]


def call_parameters(
    ctx: Context,
    scope: Scope,
    activity: Activity,
    callee: str,
    formals: Sequence[FormalParameter],
    actuals: Sequence[str],
    line: int | None,
    *,
    receives: bool = True,
) -> Iterator[Diagnostic]:
    """Count and mode checks of one call's actual parameters against the callee's formals.

    An actual for an OUT or INOUT formal receives a value, so it must name a variable of the
    caller: a data field or formal parameter of the process or package. A call that receives
    nothing (``receives`` False: an asynchronous subflow, whose OUT/INOUT values never come back,
    as its own warning says) passes any expression to an INOUT formal (its value goes in), which
    was refused "to receive the result" beside that warning; its actual for an OUT formal is never
    used, and an expression there is a warning saying so. A data field whose type does not agree
    with its formal's is a warning (:mod:`.parameter_types`).

    Only a call whose counts agree is checked pair by pair: with an actual too few or too
    many, which formal each actual was meant for is not known (the engine binds none of
    them), and findings on the pairs position gives would name the wrong ones.
    """
    if len(actuals) != len(formals):
        yield make(
            "parameter-count",
            f"activity {activity.id!r} in {scope.where} passes {len(actuals)} actual "
            f"parameter(s) to {callee}, which declares {len(formals)} formal parameter(s)",
            element_id=activity.id,
            line=line,
        )
        return
    names = ctx.data_names(scope.process, activity)
    names.update(name_aliases(ctx.package, scope.process))
    for formal, actual in zip(formals, actuals, strict=True):
        if formal.mode is ParameterMode.IN or (not receives and formal.mode is ParameterMode.INOUT):
            continue
        text = actual.strip()
        if not receives:  # (an OUT formal of a call that returns nothing: its actual is unused)
            if text and not is_plain_name(text):
                yield make(
                    "parameter-mode",
                    f"activity {activity.id!r} in {scope.where} passes {actual!r} for the OUT "
                    f"parameter {formal.id!r} of {callee}, which starts asynchronously: an OUT "
                    "parameter takes no value in and gives none back, so the expression is "
                    "never evaluated (make the parameter INOUT to pass it in)",
                    element_id=activity.id,
                    line=line,
                    severity=Severity.WARNING,
                )
            continue
        if not is_plain_name(text):
            yield make(
                "parameter-mode",
                f"activity {activity.id!r} in {scope.where} passes {actual!r} for the "
                f"{formal.mode} parameter {formal.id!r} of {callee}; it must be the name of a "
                "data field or formal parameter to receive the result",
                element_id=activity.id,
                line=line,
            )
        elif text not in names:
            yield make(
                "undefined-data-field",
                f"activity {activity.id!r} in {scope.where} passes {text!r} for the "
                f"{formal.mode} parameter {formal.id!r} of {callee}, but {text!r} is no data "
                f"field or formal parameter of the process or package{_named(ctx, scope, text)}",
                element_id=activity.id,
                line=line,
            )
    yield from type_findings(ctx, scope, activity, callee, formals, actuals, line)


def _named(ctx: Context, scope: Scope, name: str) -> str:
    """A hint when ``name`` is a data field's Name that more than one field carries."""
    carriers = [
        data_field.id
        for data_field in (*scope.process.data_fields, *ctx.package.data_fields)
        if data_field.name == name
    ]
    if len(carriers) > 1:
        return f" (data fields {carriers} are all named {name!r}; refer to one by its Id)"
    return ""
