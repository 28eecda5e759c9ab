"""``shadowed-transition``: the ways out of an Exclusive split that the engine never takes, and
the OTHERWISE of a split that takes every way that holds (Inclusive, or Parallel with
conditions) when one of its ways always holds.

The engine tries an Exclusive split's ways in order (its TransitionRefs, else document order:
:func:`~wfengine.definition.model_processes.tried_in_order`, the compiler's own rule) and takes
the first whose condition holds, so a way that always holds ends the choice there: every way
after it, and the OTHERWISE, is dead, though the graph still reaches its target (no
``unreachable-activity``). The builder makes it easy: two ``transition()`` calls from one
activity without conditions give an Exclusive split, its default.

A way always holds when it has no condition (:func:`~wfengine.definition.model_processes.
always_holds`), or when its condition is a constant that is ``true`` for every instance
(naming no field and not asking the clock, as ``loop-endless`` judges a LoopCondition). An
event-based gateway waits on every way (the first event wins), so it is not reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from wfengine.definition.checks.context import Context, condition_kind
from wfengine.definition.checks.initial_values import constant_value
from wfengine.definition.checks.readings import quote
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.graph import is_event_gateway
from wfengine.definition.model import Activity, ConditionType, Transition
from wfengine.definition.model_processes import (
    EXCEPTION_WAYS,
    always_holds,
    choosing_ways,
    tried_in_order,
)
from wfengine.definition.reading import name_aliases, read_expression, site_language


def check_shadowed_transitions(ctx: Context) -> Iterator[Diagnostic]:
    """``shadowed-transition`` for each way tried after one that always holds."""
    for scope in ctx.scopes:
        aliases = name_aliases(ctx.package, scope.process)
        outgoing: dict[str, list[Transition]] = defaultdict(list)
        for transition in scope.transitions:
            outgoing[transition.from_].append(transition)
        for activity in scope.activities:
            outs = outgoing.get(activity.id, [])
            tried = tried_in_order(activity, outs)
            if is_event_gateway(activity):
                continue
            if tried is None:
                yield from _dead_otherwise(ctx, scope.where, activity, outs, aliases)
                continue
            found = _first_always(ctx, tried, len(choosing_ways(outs)), aliases)
            if found is None:
                continue
            taken, holds = found
            after = tried[tried.index(taken) + 1 :]
            dead = [t for t in after if _chooses(t)]
            dead += [t for t in outs if condition_kind(t) is ConditionType.OTHERWISE]
            for transition in dead:
                if condition_kind(transition) is ConditionType.OTHERWISE:
                    why = f"it is OTHERWISE, taken only when none holds, and {taken.id!r}"
                else:
                    why = f"{taken.id!r}, tried before it,"
                yield make(
                    "shadowed-transition",
                    f"transition {transition.id!r} in {scope.where} is never taken: activity "
                    f"{activity.id!r} has an Exclusive split, which tries its ways "
                    f"{_order_words(activity)} and takes the first whose condition holds; "
                    f"{why} {holds}: give {taken.id!r} a condition on the data, make it "
                    "OTHERWISE, or make the split Parallel if every way should run",
                    element_id=transition.id,
                    line=transition.line,
                )


def always_words(
    ctx: Context, transition: Transition, ways: int, aliases: Mapping[str, str]
) -> str | None:
    """How a finding says that ``transition`` (one of ``ways`` choosing ways out of its
    activity) always holds: no condition, or a constant true one; None when it may not. One
    judgement for every check that asks (``shadowed-transition``, ``and-join-after-choice``)."""
    if always_holds(transition, ways):
        return "has no condition, so it always holds"
    condition = transition.condition
    if condition is None or condition.type not in (None, ConditionType.CONDITION):
        return None
    text = (condition.expression or "").strip()
    if not text:
        return None
    language = site_language(ctx.language, condition.expression_attrs)
    value, _ = constant_value(read_expression(text, language, aliases))
    return f"has the condition {quote(text)}, which always holds" if value is True else None


def _first_always(
    ctx: Context, tried: list[Transition], ways: int, aliases: Mapping[str, str]
) -> tuple[Transition, str] | None:
    """The first of the ways of choice in ``tried`` that always holds, and how a finding says
    so (:func:`always_words`); None when each may not."""
    for t in tried:
        if _chooses(t) and (why := always_words(ctx, t, ways, aliases)) is not None:
            return t, why
    return None


def _dead_otherwise(
    ctx: Context,
    where: str,
    activity: Activity,
    outs: list[Transition],
    aliases: Mapping[str, str],
) -> Iterator[Diagnostic]:
    """The OTHERWISE of a split that takes every way whose condition holds (Inclusive, or
    Parallel with conditions), when one of its ways always holds: "none holds" never comes."""
    otherwise = [t for t in outs if condition_kind(t) is ConditionType.OTHERWISE]
    if not otherwise:
        return
    found = _first_always(ctx, outs, len(choosing_ways(outs)), aliases)
    if found is None:
        return
    taken, holds = found
    for transition in otherwise:
        yield make(
            "shadowed-transition",
            f"transition {transition.id!r} in {where} is never taken: activity "
            f"{activity.id!r} takes every way whose condition holds, and its OTHERWISE only "
            f"when none does; {taken.id!r} {holds}: give {taken.id!r} a condition on the data, "
            "or remove the OTHERWISE",
            element_id=transition.id,
            line=transition.line,
        )


def _chooses(transition: Transition) -> bool:
    """Whether ``transition`` is a way of choice, tried in order: neither OTHERWISE (taken when
    none holds) nor a way for an exception."""
    kind = transition.condition.type if transition.condition is not None else None
    return kind not in (ConditionType.OTHERWISE, *EXCEPTION_WAYS)


def _order_words(activity: Activity) -> str:
    """How the finding says which order the ways are tried in."""
    if activity.split is not None and activity.split.transition_refs:
        return "in its TransitionRefs' order"
    return "in the order its transitions are written"
