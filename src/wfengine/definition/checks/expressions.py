"""Expression checks: every expression the engine will evaluate must parse, and name known data.

Which texts are expressions: transition conditions, loop and multi-instance conditions, complex
join/split conditions, deadline durations, and actual parameters passed to IN formals (an OUT or
INOUT actual is a variable name, checked by the reference checks).

A package whose Script type is not wfengine's own language (``text/javascript`` from JaWE,
Shark and Joget) cannot be evaluated without an evaluator supplied by the host application, so
text that does not parse there is ``expression-foreign`` (a warning), not a syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from wfengine.definition.checks.context import Context, Scope, condition_kind
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import (
    Activity,
    ConditionType,
    MultiInstanceLoop,
    ParameterMode,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
)
from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions import is_native_script, parse

#: Deadline durations written as a quantity with a unit ("3 days", "10 s", "1h 30min") or in
#: ISO 8601 ("PT10M"): the runtime reads these as durations, not as expressions.
_DURATION_LITERAL = re.compile(
    r"\s*(?:(?:\d+(?:[.,]\d+)?\s*[A-Za-z]+\s*)+|-?P(?=[\dT])[\dYMWDTHS.,]*)\s*"
)

#: Words and spaces only ("Claim accepted", "Individualteile benötigt"): BPMN modelling tools
#: put the gateway branch's label where an executable condition belongs.
_PROSE = re.compile(r"\s*[^\W\d_][\w'-]*(?:\s+[\w'-]+)+\s*[?.!]?\s*")


#: how much of an expression a message quotes (scripts in deadlines run to many lines)
_QUOTED = 80


def _quote(text: str) -> str:
    """``text`` quoted for a message, shortened when long."""
    return repr(text if len(text) <= _QUOTED else text[: _QUOTED - 3] + "...")


def _prose_hint(text: str) -> str:
    if _PROSE.fullmatch(text) is None:
        return ""
    return "; it reads like a branch label, not an expression, as modelling tools write them"


@dataclass(frozen=True)
class _Site:
    """One expression and where it lives, for messages."""

    text: str
    what: str
    element_id: str
    line: int | None
    activity: Activity | None


def _site(
    scope: Scope, activity: Activity, text: str | None, what: str, line: int | None
) -> Iterator[_Site]:
    """The site of a non-blank expression on ``activity``; nothing for a blank one."""
    if text is not None and text.strip():
        where = f"{what} of activity {activity.id!r} in {scope.where}"
        yield _Site(text, where, activity.id, line if line is not None else activity.line, activity)


def _activity_sites(ctx: Context, scope: Scope, activity: Activity) -> Iterator[_Site]:
    loop = activity.loop
    if isinstance(loop, StandardLoop):
        yield from _site(scope, activity, loop.condition, "the loop condition", loop.line)
    elif isinstance(loop, MultiInstanceLoop):
        yield from _site(scope, activity, loop.mi_condition, "the MI condition", loop.line)
        yield from _site(
            scope, activity, loop.complex_flow_condition, "the complex flow condition", loop.line
        )
    join, split = activity.join, activity.split
    if join is not None:
        yield from _site(scope, activity, join.incoming_condition, "the join condition", join.line)
    if split is not None:
        yield from _site(
            scope, activity, split.outgoing_condition, "the split condition", split.line
        )
    for deadline in activity.deadlines:
        duration = deadline.duration
        if duration is not None and _DURATION_LITERAL.fullmatch(duration) is None:
            yield from _site(scope, activity, duration, "a deadline duration", deadline.line)
    yield from _actual_sites(ctx, scope, activity)


def _actual_sites(ctx: Context, scope: Scope, activity: Activity) -> Iterator[_Site]:
    """Actual parameters bound to IN formals (or to formals this package cannot see)."""
    body = activity.body
    calls: list[tuple[tuple[str, ...], list[ParameterMode], int | None]] = []
    if isinstance(body, TaskImplementation):
        for tool in body.tools:
            app = ctx.application(scope.process, tool.application_id)
            modes = [f.mode for f in app.formal_parameters] if app is not None else []
            calls.append((tool.actual_parameters, modes, tool.line))
    elif isinstance(body, SubFlowImplementation):
        called = ctx.process_ids.get(body.process_id)
        modes = [f.mode for f in called.formal_parameters] if called is not None else []
        calls.append((body.actual_parameters, modes, body.line))
    for actuals, modes, line in calls:
        for i, actual in enumerate(actuals):
            mode = modes[i] if i < len(modes) else ParameterMode.IN
            if mode is ParameterMode.IN:
                yield from _site(scope, activity, actual, f"actual parameter {i + 1}", line)


def _scope_sites(ctx: Context, scope: Scope) -> Iterator[_Site]:
    """Every expression of one scope, transitions' conditions first, in definition order."""
    for transition in scope.transitions:
        condition = transition.condition
        if condition_kind(transition) is not ConditionType.CONDITION or condition is None:
            continue
        graph = scope.graph
        source = graph.nodes[transition.from_]["activity"] if transition.from_ in graph else None
        yield _Site(
            condition.expression or "",
            f"the condition of transition {transition.id!r} in {scope.where}",
            transition.id,
            condition.line if condition.line is not None else transition.line,
            source,
        )
    for activity in scope.activities:
        yield from _activity_sites(ctx, scope, activity)


def check_expressions(ctx: Context) -> Iterator[Diagnostic]:
    """``expression-syntax``, ``expression-foreign`` and ``expression-unknown-name``."""
    native = is_native_script(ctx.script_type)
    for scope in ctx.scopes:
        for site in _scope_sites(ctx, scope):
            try:
                expression = parse(site.text)
            except ExpressionSyntaxError as exc:
                if native:
                    yield make(
                        "expression-syntax",
                        f"{site.what} does not parse: {exc.message} (in {_quote(site.text)})"
                        f"{_prose_hint(site.text)}",
                        element_id=site.element_id,
                        line=site.line,
                    )
                else:
                    yield make(
                        "expression-foreign",
                        f"{site.what} is in script language {ctx.script_type!r}; it cannot be "
                        f"checked or evaluated without a host-provided evaluator "
                        f"(in {_quote(site.text)})",
                        element_id=site.element_id,
                        line=site.line,
                    )
                continue
            known = ctx.data_names(scope.process, site.activity)
            for name in sorted(expression.names - known):
                yield make(
                    "expression-unknown-name",
                    f"{site.what} uses {name!r}, which is no data field or formal parameter "
                    "of the process or package",
                    element_id=site.element_id,
                    line=site.line,
                )
