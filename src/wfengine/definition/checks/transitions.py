"""Checks on transitions and the splits that choose among them.

Transitions resolve their From and To within their own scope: a transition of a process's top
level cannot enter an activity set, and one inside an activity set cannot leave it (a block is
entered and left through the BlockActivity).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from wfengine.definition.checks.context import Context, Scope, condition_kind
from wfengine.definition.checks.deadline_catches import deadline_catch_findings
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import ConditionType, GatewayType, Route, Transition
from wfengine.definition.model_processes import choosing_ways, left_empty


def _elsewhere(ctx: Context, scope: Scope, activity_id: str) -> str:
    """A hint for a dangling reference: the other scope of the process that has the activity."""
    for other in ctx.scopes:
        if other.process is scope.process and other is not scope and activity_id in other.graph:
            return f"; it is an activity of {other.where}, and transitions cannot cross scopes"
    return ""


def check_dangling_transitions(ctx: Context) -> Iterator[Diagnostic]:
    """``dangling-transition``: From or To names no activity of the transition's scope."""
    for scope in ctx.scopes:
        for transition in scope.transitions:
            for end, activity_id in (("From", transition.from_), ("To", transition.to)):
                if activity_id in scope.graph:
                    continue
                yield make(
                    "dangling-transition",
                    f"transition {transition.id!r} in {scope.where} has {end}={activity_id!r}, "
                    f"which is not an activity there{_elsewhere(ctx, scope, activity_id)}",
                    element_id=transition.id,
                    line=transition.line,
                )


def _outgoing(scope: Scope) -> dict[str, list[Transition]]:
    """Transitions by the activity they leave, in definition order."""
    out: dict[str, list[Transition]] = defaultdict(list)
    for transition in scope.transitions:
        out[transition.from_].append(transition)
    return out


def check_split_refs(ctx: Context) -> Iterator[Diagnostic]:
    """``undefined-transition``: a split's TransitionRef names no transition leaving it, or
    (a warning) a deadline raises an exception no transition leaving its activity catches
    (:mod:`.deadline_catches`)."""
    yield from deadline_catch_findings(ctx)
    for scope in ctx.scopes:
        by_id = {t.id: t for t in scope.transitions}
        for activity in scope.activities:
            split = activity.split
            if split is None:
                continue
            for ref in split.transition_refs:
                transition = by_id.get(ref)
                if transition is None:
                    why = f"{scope.where} has no transition {ref!r}"
                elif transition.from_ != activity.id:
                    why = f"transition {ref!r} leaves {transition.from_!r}, not this activity"
                else:
                    continue
                yield make(
                    "undefined-transition",
                    f"the split of activity {activity.id!r} lists transition {ref!r}, but {why}",
                    element_id=activity.id,
                    line=split.line if split.line is not None else activity.line,
                )


def check_otherwise(ctx: Context) -> Iterator[Diagnostic]:
    """``multiple-otherwise``: more than one OTHERWISE leaves an activity; which one is taken?"""
    for scope in ctx.scopes:
        outgoing = _outgoing(scope)
        for activity in scope.activities:
            others = [
                t
                for t in outgoing.get(activity.id, ())
                if condition_kind(t) is ConditionType.OTHERWISE
            ]
            if len(others) > 1:
                names = ", ".join(repr(t.id) for t in others)
                yield make(
                    "multiple-otherwise",
                    f"activity {activity.id!r} in {scope.where} has {len(others)} OTHERWISE "
                    f"transitions ({names}); at most one may be the default",
                    element_id=activity.id,
                    line=activity.line,
                )


def check_split_conditions(ctx: Context) -> Iterator[Diagnostic]:
    """``split-condition-unused``: a split's own ``OutgoingCondition`` (on the Split, or on a
    Complex gateway's Route as 2.1 and 2.2 write it). The engine chooses by the outgoing
    transitions' conditions only, so a rule written there would be silently ignored."""
    for scope in ctx.scopes:
        for activity in scope.activities:
            split = activity.split
            if split is None:
                continue
            condition = (split.outgoing_condition or "").strip()
            if not condition:
                continue
            yield make(
                "split-condition-unused",
                f"the split of activity {activity.id!r} in {scope.where} has an "
                f"OutgoingCondition ({condition[:60]!r}), which the "
                "engine does not run: it takes the outgoing transitions whose own conditions "
                "hold; put the rule on the transitions",
                element_id=activity.id,
                line=split.line if split.line is not None else activity.line,
            )


def check_gateway_conflicts(ctx: Context) -> Iterator[Diagnostic]:
    """``gateway-conflict``: a Route's GatewayType and its Split or Join Type disagree.

    The Route's is the gateway drawn, and the engine runs it
    (:attr:`~wfengine.definition.model.Activity.split_gateway`); Global 360 writes every
    inclusive gateway with an Exclusive Split."""
    for scope in ctx.scopes:
        for activity in scope.activities:
            body = activity.body
            if not isinstance(body, Route) or body.gateway_type is None:
                continue
            for name, restriction in (("Split", activity.split), ("Join", activity.join)):
                if restriction is None or restriction.type is body.gateway_type:
                    continue
                yield make(
                    "gateway-conflict",
                    f"activity {activity.id!r} in {scope.where}: its Route's GatewayType is "
                    f"{body.gateway_type.value!r} but its {name}'s Type is "
                    f"{restriction.type.value!r}; the Route's is taken, as the gateway is drawn",
                    element_id=activity.id,
                    line=restriction.line if restriction.line is not None else activity.line,
                )


def check_empty_conditions(ctx: Context) -> Iterator[Diagnostic]:
    """``condition-empty``: a CONDITION left with no expression on one of several ways out.

    TIBCO and Bizagi write ``<Condition Type="CONDITION"><Expression/></Condition>`` for a
    branch whose rule the modeller has not written yet. Read as no condition, that way would
    always be taken and the others (the default among them) never; the engine instead stops
    there for a decision, as at a label (docs/semantics.md, "Labels where conditions belong").
    A single way out with such a condition is just a way out."""
    for scope in ctx.scopes:
        outgoing = _outgoing(scope)
        for activity in scope.activities:
            ways = choosing_ways(outgoing.get(activity.id, ()))
            if len(ways) < 2:
                continue
            for transition in ways:
                if not left_empty(transition):
                    continue
                yield make(
                    "condition-empty",
                    f"transition {transition.id!r} in {scope.where} is one of "
                    f"{len(ways)} ways out of {activity.id!r} and has a CONDITION with no "
                    "expression: instances stop there for a decision (write the condition, "
                    "or make the default way OTHERWISE)",
                    element_id=transition.id,
                    line=transition.line,
                )


def check_unused_conditions(ctx: Context) -> Iterator[Diagnostic]:
    """``condition-unused``: a condition on a transition out of a Parallel split.

    BPMN's parallel gateway takes every outgoing transition and ignores their conditions;
    the engine, like Enhydra Shark, follows such a transition only when its condition holds
    (as an Inclusive split would), which is what JaWE's multi-choice means. Either reading
    may be what the modeller meant, so the finding says what the engine does and how to say
    it plainly (a Parallel join after the split waits for a way not taken). Not reported for
    XPDL 1.0 packages: there an AND split whose transitions carry conditions
    is how multi-choice is written (Enhydra Shark follows every transition whose condition
    holds), so the engine treats it as an Inclusive split and the conditions matter. An
    activity with no split is not reported either: a single conditional transition is a guard,
    and several (as Bonita writes them) imply a choice.
    """
    if ctx.is_xpdl1:
        return
    for scope in ctx.scopes:
        outgoing = _outgoing(scope)
        for activity in scope.activities:
            if activity.split_gateway is not GatewayType.PARALLEL:
                continue
            for transition in outgoing.get(activity.id, ()):
                kind = condition_kind(transition)
                if kind not in (ConditionType.CONDITION, ConditionType.OTHERWISE):
                    continue
                yield make(
                    "condition-unused",
                    f"transition {transition.id!r} in {scope.where} has a {kind} condition, "
                    f"but it leaves {activity.id!r} through a Parallel split: the engine "
                    "follows it only when the condition holds, as an Inclusive split (BPMN's "
                    "parallel gateway would take it always); mark the split Inclusive to say "
                    "so, or drop the condition",
                    element_id=transition.id,
                    line=transition.line,
                )
