"""``instantiate-unused``: an activity says ``Instantiate="true"`` (a receive task, or an
event-based gateway: a process a message starts, as BPMN tools draw it) where no message
starts an instance, or a way of such a gateway that no message takes.

A message starts an instance (:meth:`Engine.start_by_message
<wfengine.runtime.engine.Engine.start_by_message>`, ``wfengine message send NAME --start``)
at such an activity of the process's top level with no way in: the receive task takes the
message, or the gateway's catch of that message does, withdrawing the other ways. Anywhere
else the attribute changes nothing: the activity is reached as any other. And a way of an
instantiating gateway to a timer, signal or conditional catch is never taken by an instance
a message started (its message's catch wins as the ways begin; a signal does not start the
process there): it is taken only in an instance started by hand. Both run, so these are
warnings. (A way to what is no catch event at all is ``event-gateway-target``'s.)
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.checks.event_gateways import catches
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.instantiating import instantiating_gateway, instantiating_receive
from wfengine.definition.model import Activity, Event, EventPosition, TaskImplementation

_CODE = "instantiate-unused"


def _takes_a_message(activity: Activity) -> bool:
    """Is ``activity`` a catch a message comes to (a Message catch event, a receive task)?"""
    if not catches(activity):
        return False
    body = activity.body
    return isinstance(body, TaskImplementation) or (
        isinstance(body, Event) and body.trigger == "Message"
    )


def _no_start(scope: Scope, activity: Activity, what: str) -> Iterator[Diagnostic]:
    """Why ``activity`` (``what``) starts no instance: it is in an activity set, has a way
    in, or its process has start events (an instance begins at them only)."""
    if scope.activity_set is not None:
        why = "only one at the process's top level does"
    else:
        ways_in = [t for t in scope.transitions if t.to == activity.id]
        starts = [
            a.id
            for a in scope.activities
            if isinstance(a.body, Event) and a.body.position is EventPosition.START
        ]
        if ways_in:
            why = f"it has a way in ({ways_in[0].id!r}), and only one with none does"
        elif starts:  # an instance begins at the start events only, when there are any
            why = f"the process has start events ({starts[0]!r}), and only they start it"
        else:
            return
    yield make(
        _CODE,
        f'{what} {activity.id!r} in {scope.where} says Instantiate="true" but no message '
        f"starts an instance there: {why}; it is reached as any other",
        element_id=activity.id,
        line=activity.line,
    )


def check_instantiate_unused(ctx: Context) -> Iterator[Diagnostic]:
    """``instantiate-unused``: see the module's docstring."""
    for scope in ctx.scopes:
        by_id = {a.id: a for a in scope.activities}
        for activity in scope.activities:
            if instantiating_receive(activity):
                yield from _no_start(scope, activity, "receive task")
                continue
            if not instantiating_gateway(activity):
                continue
            unused = list(_no_start(scope, activity, "event-based gateway"))
            if unused:  # reached as any other gateway: its timer way is taken as any other's
                yield from unused
                continue
            ways = [
                (t, by_id[t.to])
                for t in scope.transitions
                if t.from_ == activity.id and t.to in by_id
            ]
            if not any(_takes_a_message(target) for _, target in ways):
                yield make(
                    _CODE,
                    f"event-based gateway {activity.id!r} in {scope.where} says "
                    'Instantiate="true" but none of its ways leads to a catch a message '
                    "comes to, so no message starts an instance there",
                    element_id=activity.id,
                    line=activity.line,
                )
                continue
            for transition in scope.transitions:
                target = by_id.get(transition.to) if transition.from_ == activity.id else None
                if target is None or not catches(target) or _takes_a_message(target):
                    continue  # (a way to what is no catch is event-gateway-target's)
                yield make(
                    _CODE,
                    f"event-based gateway {activity.id!r} in {scope.where} says "
                    f'Instantiate="true": its way {transition.id!r} leads to {target.id!r}, '
                    "which catches no message, so an instance a message starts never takes "
                    "it (that message's catch wins as the ways begin; a signal does not start "
                    "the process there); it is taken only in an instance started by hand",
                    element_id=transition.id,
                    line=transition.line if transition.line is not None else activity.line,
                )
