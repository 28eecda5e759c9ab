"""Whose turn it is in a sequential ad-hoc set (``AdHocOrdering="Sequential"``): the activity
in progress, which another of the set waits for, and whose person's start or completion of
another's work item is refused (docs/semantics.md, "Ad-hoc activity sets").
"""

from __future__ import annotations

from collections.abc import Callable

from wfengine.runtime.compiler import KIND_NONE
from wfengine.runtime.instance import ActivityInstance, Scope
from wfengine.runtime.states import WorkItemState
from wfengine.runtime.work_rules import OFFER

#: an item whose person took the turn: started, or done with its applications still running
_ITEM_TAKEN = frozenset({WorkItemState.STARTED, WorkItemState.COMPLETED})


def turn_taken(
    scope: Scope,
    item_state: Callable[[str], WorkItemState],
    beside: ActivityInstance | None = None,
) -> ActivityInstance | None:
    """The activity of the sequential ad-hoc set ``scope`` that is in progress (other than
    ``beside``), if one is (see :func:`holds_turn`). It must finish before another of the set
    is started or done.

    Only an instance stored by an engine that let a tool or script with a Manual finish run
    beside another can have more than one in progress: one goes on (this returns None for it
    as ``beside``) and the others wait for it, so that each still finishes, one at a time,
    rather than each refusing the other for ever. A person's started work goes on, as that
    engine let it; else the first of them the instance lists.

    A multi-instance activity is one activity of the set: its container and its instances
    take one turn together (see :func:`_turn_of`), so that an instance's confirmation or a
    person's work on another of its instances is not refused as waiting for the container
    that holds the set for them all."""
    first: ActivityInstance | None = None
    for other in scope.instance.activities.values():
        if other.scope is scope and holds_turn(other, item_state):
            if beside is None or other.act.offer_first:  # (any one will do without beside)
                first = other
                break
            if first is None:
                first = other
    if first is None or beside is None:
        return first
    return None if _turn_of(first) is _turn_of(beside) else first


def _turn_of(ai: ActivityInstance) -> ActivityInstance:
    """The activity instance whose turn ``ai`` is part of: a multi-instance activity's
    container for each of its instances (it took the turn as it began, for them all, and
    they run as the loop says, in parallel or one after the other), else ``ai`` itself."""
    return ai.mi_parent or ai


def holds_turn(ai: ActivityInstance, item_state: Callable[[str], WorkItemState]) -> bool:
    """Whether ``ai`` holds its sequential ad-hoc set. One that runs by itself (a subflow, a
    block, a task's applications, a script: what took its turn as it began) holds it until
    it closes, whatever its work item: a Manual finish's confirmation only on offer is still
    its work in progress, and letting another begin would have its confirmation refused
    until that other closed, the reverse of the order they ran in. A person's activity holds
    it while its person started its work item (``item_state`` reads it; one started and then
    released, delegated or reassigned does not), or completed it and its applications still
    run. One whose person's work waits for an incident to offer it (operation ``offer``: its
    started item was withdrawn, or a loop's next round could not be offered) holds none,
    whatever its work item (the previous round's, completed), as an item on offer holds
    none: nobody works on it, and the retry offers it as any other.

    A person's multi-instance activity (its container: people start none of it, only its
    instances' work) holds the set from the moment the first of its instances took it until
    it closes: while an instance holds it, and once one has completed, also between two
    instances (a sequential loop's next one only on offer, a parallel one's not started
    yet). Why: it is one activity of the set (:func:`turn_taken`), and with only a started
    instance holding, another activity of the set could be begun between its instances,
    and its next instance was then refused as waiting for that one."""
    if not ai.state.is_open:
        return False
    mi = ai.mi
    if mi is not None and ai.act.offer_first:
        return mi.completed > 0 or any(holds_turn(c, item_state) for c in mi.children)
    if ai.running_at is None:
        return False
    if not ai.act.offer_first:
        return True
    if _offer_waits(ai):
        return False
    return ai.work_item is None or item_state(ai.work_item) in _ITEM_TAKEN


def _offer_waits(ai: ActivityInstance) -> bool:
    """Whether the person's activity ``ai``'s work waits for an incident to offer it:
    operation ``offer``, or an older engine's ``run`` naming no application of an activity
    whose only work is the person (only its offer could fail). A script's or a Tool's own
    work may fail as ``run`` after the person's, told apart only by the trail
    (incident_commands.offer_opened_as_run): it holds its turn, as before."""
    if ai.incident is None:  # (nearly always: the check costs nothing then)
        return False
    incident = ai.scope.instance.incidents.get(ai.incident)
    if incident is None or incident.operation == OFFER:
        return incident is not None
    old_offer = incident.operation == "run" and incident.application_id is None
    return old_offer and ai.act.kind == KIND_NONE
