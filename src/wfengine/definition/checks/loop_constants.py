"""Loops whose constants can never work: judged as constant initial values are (an expression
naming no field and not asking the clock is computed here, as the engine would compute it for
every instance; :func:`~.initial_values.constant_value`).

* ``loop-count`` (warning): a multi-instance loop's MI_Condition is a constant that is no
  count of instances (``-3``, ``2.5``, ``"abc"``, ``true``, ``[1,2]``), or one whose computation
  fails (``1/0``): the engine wants a whole number 0 or more, so every instance reaching the
  activity stops with an incident there. A warning, as for every text the engine cannot run
  where an instance reaches it (``script-unsupported``, ``event-trigger``): the rest of the
  process runs, and the incident (which the engine keeps as its defence) says what to fix. A
  count above the host's ``RuntimeLimits.max_mi_instances`` is not judged (the host sets it).
* ``loop-maximum`` (warning): a standard loop's ``LoopMaximum`` below zero. The engine counts
  iterations against it, so the loop never repeats (tested after: it runs once; tested before:
  never), while a tool writing ``-1`` most likely meant "no limit".
* ``loop-no-condition`` (warning): a standard loop with no ``LoopCondition`` (or a blank one).
  The engine reads a missing condition as false, so the loop never repeats: tested after, the
  activity runs once, as if it had no loop; tested before, it never runs, and the instance
  passes it by. Either way the loop does nothing a modeller drew it for; a warning, as with
  ``loop-maximum``, since the process runs.
* ``loop-endless`` (warning): a standard loop whose ``LoopCondition`` is a constant true, with
  no ``LoopMaximum``, on an activity nobody waits on (no person, no message, no timer, no
  call, subflow or block): it repeats within one command until the engine stops the instance
  with an incident. Which stop, and when, depends on what a round changes, so the warning says
  it (a user who raised the wrong limit would change nothing): rounds that change no data (a
  route, an activity with no implementation) are one navigation state, which the engine's
  watch for cycles without progress reports after about 1,024 rounds (``WATCH_FROM``,
  :mod:`wfengine.runtime.progress`); rounds that change the data each time (a LoopCounter
  counting in a field, a script adding to one) run until the step limit
  (``RuntimeLimits.max_steps``, a million steps); a script may do either. One that waits on a
  person each round may be meant to repeat until cancelled.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.checks.initial_values import UNKNOWN, constant_value
from wfengine.definition.checks.readings import quote
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.finite_numbers import finite
from wfengine.definition.model import (
    Activity,
    Attrs,
    MultiInstanceLoop,
    NoImplementation,
    Route,
    StandardLoop,
    TaskImplementation,
    TaskKind,
    TestTime,
)
from wfengine.definition.modes import needs_person
from wfengine.definition.reading import name_aliases, read_expression, site_language
from wfengine.errors import ExpressionError


def check_loop_constants(ctx: Context) -> Iterator[Diagnostic]:
    """``loop-count``, ``loop-maximum``, ``loop-no-condition`` and ``loop-endless`` for each
    looping activity."""
    for scope in ctx.scopes:
        aliases = name_aliases(ctx.package, scope.process)
        for activity in scope.activities:
            loop = activity.loop
            line = activity.line if loop is None or loop.line is None else loop.line
            where = f"the loop of activity {activity.id!r} in {scope.where}"
            if isinstance(loop, MultiInstanceLoop) and (loop.mi_condition or "").strip():
                text = loop.mi_condition or ""
                value, failure = _constant(ctx, text, loop.mi_condition_attrs, aliases)
                why = _no_count(value, failure)
                if why is not None:
                    yield make(
                        "loop-count",
                        f"{where}: its MI_Condition {quote(text.strip())} {why}, and the "
                        "engine starts a count of instances (a whole number 0 or more): "
                        "every instance reaching it stops with an incident",
                        element_id=activity.id,
                        line=line,
                    )
            elif isinstance(loop, StandardLoop):
                yield from _standard(ctx, scope, activity, loop, aliases, where, line)


def _standard(
    ctx: Context,
    scope: Scope,
    activity: Activity,
    loop: StandardLoop,
    aliases: Mapping[str, str],
    where: str,
    line: int | None,
) -> Iterator[Diagnostic]:
    if loop.maximum is not None and loop.maximum < 0:
        yield make(
            "loop-maximum",
            f"{where} has LoopMaximum {loop.maximum}, below zero: the engine counts iterations "
            "against it, so the loop never repeats (it runs once if tested after, never if "
            "tested before); leave LoopMaximum out for no limit",
            element_id=activity.id,
            line=line,
        )
    text = (loop.condition or "").strip()
    if not text:
        before = loop.test_time is TestTime.BEFORE
        yield make(
            "loop-no-condition",
            f"{where} has no LoopCondition, which the engine reads as false: the loop never "
            + (
                "repeats and, tested before, its activity never runs (instances pass it by)"
                if before
                else "repeats (tested after, its activity runs once, as with no loop)"
            )
            + "; give it the condition to repeat while, or remove the loop",
            element_id=activity.id,
            line=line,
        )
        return
    if loop.maximum is not None or not _automatic(activity):
        return
    value, _ = _constant(ctx, text, loop.condition_attrs, aliases)
    if value is True:
        yield make(
            "loop-endless",
            f"{where}: its LoopCondition {quote(text)} always holds and it has no "
            "LoopMaximum, and nothing waits between its rounds: it repeats within one "
            "command until the engine stops the instance with an incident, "
            f"{_stopped_by(activity, loop)}; give it a condition on the data "
            "or a LoopMaximum",
            element_id=activity.id,
            line=line,
        )


#: the two ways the engine stops a loop that never ends (see the module notes)
_NO_PROGRESS = 'after about 1,024 rounds, as a cycle without progress ("loops without progress")'
_STEP_LIMIT = "at the step limit (RuntimeLimits.max_steps, a million steps)"


def _stopped_by(activity: Activity, loop: StandardLoop) -> str:
    """When the engine stops an endless ``loop`` on ``activity``, and why then: the progress
    watch when its rounds change no data, the step limit when each round changes the data."""
    if loop.counter_field is not None:
        return f"{_STEP_LIMIT}, since its LoopCounter changes the data every round"
    if isinstance(activity.body, Route | NoImplementation):
        return f"{_NO_PROGRESS}, since its rounds change no data"
    return (
        f"{_NO_PROGRESS} if its rounds change no data, or {_STEP_LIMIT} if each round "
        "changes the data (a script adding to a field)"
    )


def _constant(
    ctx: Context, text: str, attrs: Attrs, aliases: Mapping[str, str]
) -> tuple[Any, ExpressionError | None]:
    """The value ``text`` gives every time (or :data:`UNKNOWN`), and why computing it fails."""
    reading = read_expression(text, site_language(ctx.language, attrs), aliases)
    return constant_value(reading)


def _no_count(value: Any, failure: ExpressionError | None) -> str | None:
    """Why a constant MI_Condition is no count (the engine's test); None when it is one or
    is not known before it runs."""
    if failure is not None:
        return f"cannot be computed ({failure.message})"
    if value is UNKNOWN:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not finite(value)
        or value < 0
        or value != int(value)
    ):
        return f"gives {value!r}"
    return None


def _automatic(activity: Activity) -> bool:
    """Whether a round of ``activity`` waits on nothing: a route, or an activity with no
    implementation or a task with no application call, that no person starts or finishes
    and that receives no message."""
    body = activity.body
    if isinstance(body, Route):
        return True
    if isinstance(body, TaskImplementation):
        if body.tools or body.task is TaskKind.RECEIVE:
            return False
    elif not isinstance(body, NoImplementation):
        return False
    return not needs_person(activity)
