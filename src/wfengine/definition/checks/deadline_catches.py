"""A deadline whose exception nothing catches: ``deadline-uncaught`` (a warning).

When a deadline expires the engine raises its ``ExceptionName`` (``DeadlineExceeded`` when it
names none) on its activity and takes the activity's EXCEPTION transition of exactly that name
(case and all; spaces around the transition's name do not count), else an unnamed EXCEPTION
or a DEFAULTEXCEPTION. With
none of them the deadline only marks the activity late (audit ``deadline.unhandled``) and the
escalation the modeller drew never runs: most often a misspelt name. Only that case is
reported: the activity has EXCEPTION transitions of other names, one differing only in case or
nothing but deadlines to raise them (an activity with no named catch at all uses its deadline to
mark lateness, which metrics count; an application's or subflow's names are not known here).
A deadline that never fires (an empty or ``None`` duration, as tools leave an unset one) is
not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.model import (
    Activity,
    ConditionType,
    Event,
    NoImplementation,
    Route,
    TaskImplementation,
    TaskKind,
    Transition,
)

#: tasks that run nothing that could fail (a person's work, or none)
_QUIET_TASKS = frozenset({TaskKind.USER, TaskKind.MANUAL, TaskKind.NONE})
#: what a deadline raises when it names no exception (the compiler's default too)
DEFAULT_EXCEPTION = "DeadlineExceeded"


def _catches(ways: list[Transition]) -> tuple[bool, set[str]]:
    """Whether ``ways`` (leaving one activity) catch any exception, and the names they catch."""
    names: set[str] = set()
    for way in ways:
        condition = way.condition
        if condition is None:
            continue
        if condition.type is ConditionType.DEFAULTEXCEPTION:
            return True, names
        if condition.type is ConditionType.EXCEPTION:
            name = (condition.expression or "").strip()
            if not name:
                return True, names
            names.add(name)
    return False, names


def _raises_only_deadlines(activity: Activity) -> bool:
    """Whether a deadline is all that can raise an exception on ``activity``: no application,
    service, script, subflow or block whose failure the same transitions catch."""
    body = activity.body
    if isinstance(body, TaskImplementation):
        return body.task in _QUIET_TASKS and not body.tools
    return isinstance(body, NoImplementation | Route | Event)


def _fires(text: str | None) -> bool:
    stripped = (text or "").strip()
    return bool(stripped) and stripped != "None"


def deadline_catch_findings(ctx: Context) -> Iterator[Diagnostic]:
    """One warning per deadline of an activity whose exception no way out of it catches."""
    for scope in ctx.scopes:
        ways: dict[str, list[Transition]] = {}
        for transition in scope.transitions:
            ways.setdefault(transition.from_, []).append(transition)
        for activity in scope.activities:
            if not activity.deadlines:
                continue
            catch_all, names = _catches(ways.get(activity.id, []))
            if catch_all:
                continue
            for deadline in activity.deadlines:
                if not _fires(deadline.duration):
                    continue
                raised = deadline.exception_name or DEFAULT_EXCEPTION
                if raised in names or not names:
                    continue  # (with no named catch at all it marks lateness, for metrics)
                near = any(n.lower() == raised.strip().lower() for n in names)
                if not near and not _raises_only_deadlines(activity):
                    continue  # its names may be what its application or subflow raises
                yield _finding(scope.where, activity, raised, names, deadline.line)


def _finding(
    where: str, activity: Activity, raised: str, names: set[str], line: int | None
) -> Diagnostic:
    near = sorted(n for n in names if n.lower() == raised.strip().lower())
    if near:
        hint = f"; EXCEPTION transition(s) catch {', '.join(map(repr, near))}, and names match "
        hint += "exactly, case and all"
    elif names:
        hint = f"; its EXCEPTION transitions catch {', '.join(map(repr, sorted(names)))}"
    else:
        hint = ""
    return make(
        "deadline-uncaught",
        f"a deadline of activity {activity.id!r} in {where} raises {raised!r}, but no "
        f"transition leaving the activity catches it (an EXCEPTION transition of that name, "
        f"an unnamed EXCEPTION or a DEFAULTEXCEPTION){hint}; when it expires the activity is "
        "only marked late (audit deadline.unhandled) and goes on: no escalation runs",
        element_id=activity.id,
        line=line if line is not None else activity.line,
        severity=Severity.WARNING,
    )
