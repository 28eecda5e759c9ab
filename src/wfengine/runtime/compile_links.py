"""The ties between a graph's activities that are not transitions: boundary events attached to
their activities, link events joined by name, an event-based gateway's racing targets.

Why a module of its own: these are graph-level decisions (they need every activity compiled
and indexed), made once per graph by :mod:`.compiler`, from what :mod:`.compile_events` reads.
"""

from __future__ import annotations

from collections.abc import Sequence

from wfengine.definition.checks.flow import EVENT_SUB_TRIGGERS as SUB_TRIGGERS
from wfengine.definition.graph import link_event, link_throws
from wfengine.definition.model import (
    Activity,
    BlockActivity,
    EventPosition,
    Transition,
    WorkflowProcess,
)
from wfengine.errors import DeployError
from wfengine.runtime.compile_events import boundary, is_event_gateway
from wfengine.runtime.compiled import (
    SPLIT_ALL,
    T_NORMAL,
    CActivity,
    CBoundary,
    CEventSub,
    CTransition,
)
from wfengine.runtime.evaluation import ExpressionReader


def connect_events(
    exprs: ExpressionReader,
    scope: str,
    activities: Sequence[Activity],
    compiled: Sequence[CActivity],
    outgoing: Sequence[Sequence[Transition]],
    by_id: dict[str, int],
) -> list[tuple[int, int]]:
    """Attach boundary events, join link events and mark event-gateway rivals in one graph;
    returns the edges these add (source index, target index), for the OR-join bookkeeping.

    A link event with ``CatchThrow`` says whether it throws; one that does not say throws
    when no transition leaves it. A thrown link goes to the catching link of the same name
    in the same graph, as a transition would; one no catch answers ends its thread.
    """
    edges: list[tuple[int, int]] = []
    catches: dict[str, int] = {}
    throws: list[tuple[int, str]] = []
    for idx, a in enumerate(activities):
        event = a.event
        if event is None or event.position is not EventPosition.INTERMEDIATE:
            continue
        where = f"{scope}, activity {a.id!r}"
        if event.target is not None:
            target = by_id.get(event.target)
            if target is None:
                raise DeployError(
                    f"{where}: the boundary event is attached to {event.target!r}, which is "
                    "not an activity of the same process or activity set"
                )
            owner = compiled[target]
            found = boundary(exprs, where, a, event, len(owner.boundaries), idx)
            if found is not None:
                owner.boundaries = (*owner.boundaries, found)
                edges.append((target, idx))
        elif (link := link_event(a)) is not None:
            name, said = link
            if link_throws(said, bool(outgoing[idx])):
                throws.append((idx, name))
            elif name in catches:
                raise DeployError(f"{where}: a second catching link event named {name!r}")
            else:
                catches[name] = idx
    for idx, name in throws:
        catch = catches.get(name)
        if catch is None:
            continue
        ca = compiled[idx]
        ct = CTransition(
            id=f"link:{name}",
            source=idx,
            target=catch,
            slot=0,
            kind=T_NORMAL,
            condition=None,
            exception_name=None,
        )
        ca.normal = (*ca.normal, ct)
        if len(ca.normal) == 1 and ca.otherwise is None:
            ca.only_next = ct
        edges.append((idx, catch))
    for idx, a in enumerate(activities):
        if is_event_gateway(a):
            ca = compiled[idx]
            ca.split = SPLIT_ALL  # every way waits; the first event to occur wins
            targets = [ct.target for ct in ca.normal]
            for t in targets:
                compiled[t].rivals = tuple(x for x in targets if x != t)
    return edges


def event_subprocesses(
    exprs: ExpressionReader,
    scope: str,
    process: WorkflowProcess,
    activities: Sequence[Activity],
    compiled: Sequence[CActivity],
) -> tuple[CEventSub, ...]:
    """The event sub-processes of one graph: its block activities whose activity set has
    ``TriggeredByEvent="true"``, each with its start event's trigger (Timer, Message, Signal,
    Error or Escalation; ``Interrupting`` on the start event, true by default). One whose
    start event has no trigger the engine arms never runs (and is no start of the scope)."""
    found: list[CEventSub] = []
    sets = {s.id: s for s in process.activity_sets}
    for idx, a in enumerate(activities):
        body = a.body
        if not isinstance(body, BlockActivity):
            continue
        aset = sets.get(body.activity_set_id)
        if aset is None or dict(aset.extra_attrs).get("TriggeredByEvent", "false") != "true":
            continue
        block = compiled[idx].block
        assert block is not None  # compiled with the activity
        starts = [(i, block.activities[i].model) for i in block.starts]
        trigger = None
        for i, start in starts:
            event = start.event
            if event is not None and event.trigger in SUB_TRIGGERS:
                where = f"{scope}, event sub-process {a.id!r}"
                trigger = boundary(exprs, where, start, event, len(found), i)
                break
        if trigger is None:
            found.append(CEventSub(idx, CBoundary(len(found), -1, "None", False)))
            continue
        found.append(CEventSub(idx, trigger))
    return tuple(found)
