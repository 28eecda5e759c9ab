"""The control-flow graph of one process (or one activity set) as a networkx graph.

Validation (reachability, dead ends, cycles, join/split matching), rendering and the engine's
deploy-time compiler all ask questions about the same graph; building it in one place keeps them
agreeing on what a start or an end activity is.

Shape of the graph returned by :func:`process_graph`:

* a :class:`networkx.MultiDiGraph` (a subclass of ``DiGraph``), because XPDL allows several
  transitions between the same two activities (say one with a condition and an OTHERWISE): a
  plain ``DiGraph`` would keep only one of them;
* one node per activity of the scope, keyed by activity Id, with the :class:`Activity` under the
  node attribute ``activity``; nodes are added in definition order, so iterating the graph is
  deterministic;
* one edge per transition whose From and To both name activities of the scope, keyed by the
  transition Id, with the :class:`Transition` under the edge attribute ``transition``.

What the graph leaves out, on purpose: transitions that name an activity outside the scope
(validation reports them as ``dangling-transition``; adding them would invent nodes with no
activity), and for a repeated activity Id every activity after the first (``duplicate-id``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx

from wfengine.definition.event_texts import trigger_detail
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    ConditionType,
    EventPosition,
    GatewayType,
    Route,
    Transition,
    WorkflowProcess,
)

__all__ = [
    "activity_of",
    "attached_beside",
    "end_activities",
    "end_ids",
    "is_boundary_event",
    "is_triggered_start",
    "process_graph",
    "reaching",
    "runs_beside",
    "scope_items",
    "start_activities",
    "start_ids",
    "starts_together",
]


#: the deepest blocks may nest, activity set in activity set (validation's ``block-depth``,
#: and the runtime compiler refuses deeper): each level is a level of the engine's recursion
MAX_BLOCK_DEPTH = 32


def scope_items(
    process: WorkflowProcess, activity_set: ActivitySet | None = None
) -> tuple[tuple[Activity, ...], tuple[Transition, ...]]:
    """The activities and transitions of the process's top level, or of ``activity_set``."""
    if activity_set is None:
        return process.activities, process.transitions
    return activity_set.activities, activity_set.transitions


def process_graph(
    process: WorkflowProcess, activity_set: ActivitySet | None = None
) -> nx.MultiDiGraph[str]:
    """The control-flow graph of ``process``'s top level, or of one of its activity sets.

    Activity sets are separate graphs: a BlockActivity is a single node in its parent's graph,
    and its set's activities are reached by entering the block, not by transitions.
    """
    activities, transitions = scope_items(process, activity_set)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for activity in activities:
        if activity.id not in graph:
            graph.add_node(activity.id, activity=activity)
    for transition in transitions:
        if transition.from_ in graph and transition.to in graph:
            graph.add_edge(
                transition.from_, transition.to, key=transition.id, transition=transition
            )
    return graph


def activity_of(graph: nx.MultiDiGraph[str], activity_id: str) -> Activity:
    """The :class:`Activity` stored on node ``activity_id``."""
    activity = graph.nodes[activity_id]["activity"]
    assert isinstance(activity, Activity)
    return activity


def _event_position(graph: nx.MultiDiGraph[str], node: str) -> EventPosition | None:
    event = activity_of(graph, node).event
    return None if event is None else event.position


def is_boundary_event(activity: Activity) -> bool:
    """True for an intermediate event attached to another activity (BPMN boundary event).

    Such an event has no incoming transition, yet it is not a start: it fires while the
    activity it is attached to runs.
    """
    event = activity.event
    return event is not None and event.position is EventPosition.INTERMEDIATE and bool(event.target)


def attached_beside(graph: nx.MultiDiGraph[str], node: str, other: str) -> bool:
    """True when ``other`` is a non-interrupting event attached to ``node``: when it fires,
    its way runs while ``node`` goes on (a second token beside ``node``'s)."""
    attached = activity_of(graph, other)
    event = attached.event
    return (
        event is not None
        and is_boundary_event(attached)
        and event.target == node
        and not event.interrupts
    )


def is_event_gateway(activity: Activity) -> bool:
    """An event-based exclusive gateway (deferred choice): a Route with ``XORType`` (2.1) or
    ``ExclusiveType`` (2.2) ``Event``, or a Split with ``ExclusiveType="Event"``."""
    if activity.split is not None and (activity.split.exclusive_type or "") == "Event":
        return True
    body = activity.body
    if isinstance(body, Route):
        attrs = dict(body.extra_attrs)
        return "Event" in (attrs.get("XORType"), attrs.get("ExclusiveType"))
    return False


def link_event(activity: Activity) -> tuple[str, bool | None] | None:
    """An intermediate Link event's name (its ``TriggerResultLink`` Name, else the activity's
    Name or Id) and whether it says it throws (``CatchThrow``; None: not said), or None for
    any other activity. A link is a go-to inside a process: a throwing link continues at the
    catching link of the same name."""
    event = activity.event
    if event is None or event.position is not EventPosition.INTERMEDIATE:
        return None
    if event.trigger != "Link":
        return None
    trigger = trigger_detail(event, "TriggerResultLink")
    attrs = dict(trigger.attrs) if trigger is not None else {}
    said = attrs.get("CatchThrow")
    name = attrs.get("Name") or activity.name or activity.id
    return name, None if said is None else said.upper() == "THROW"


def link_throws(said: bool | None, has_way_out: bool) -> bool:
    """Whether a link event throws: as its ``CatchThrow`` says, else when no transition
    leaves it (the one rule of validation's graph checks and the compiler)."""
    return said if said is not None else not has_way_out


def catching_links(graph: nx.MultiDiGraph[str]) -> list[tuple[str, str]]:
    """(name, node) of each catching link event of a scope graph, in definition order: one
    that says it catches, or says nothing and has a transition out (an event attached to an
    activity is a boundary event, not a link). The engine takes the first of a name; a
    second refuses the deploy (``link-duplicate``)."""
    found: list[tuple[str, str]] = []
    for n in graph:
        activity = activity_of(graph, n)
        link = link_event(activity)
        if link is None or (activity.event is not None and activity.event.target is not None):
            continue
        if not link_throws(link[1], graph.out_degree(n) > 0):
            found.append((link[0], n))
    return found


def thrown_links(graph: nx.MultiDiGraph[str]) -> set[str]:
    """The names the throwing link events of a scope graph go to (a link that does not say
    throws when no transition leaves it)."""
    found: set[str] = set()
    for n in graph:
        link = link_event(activity_of(graph, n))
        if link is not None and link_throws(link[1], graph.out_degree(n) > 0):
            found.add(link[0])
    return found


def start_ids(graph: nx.MultiDiGraph[str]) -> list[str]:
    """Ids of the start activities of a scope graph, in definition order.

    Where the scope has start events (XPDL 2.x), those are its starts. Otherwise (XPDL 1.0 has
    no events, and many 2.x tools omit them) every activity with no incoming transition starts,
    except boundary events, compensation handlers (:func:`is_compensation_handler`) and catching
    link events that a link of the scope throws to (one no link throws to is an entry from
    another page or pool: it starts).
    """
    by_event = [n for n in graph if _event_position(graph, n) is EventPosition.START]
    if by_event:
        return by_event
    thrown = thrown_links(graph)
    return [
        n
        for n in graph
        if graph.in_degree(n) == 0
        and not is_boundary_event(activity_of(graph, n))
        and not is_compensation_handler(activity_of(graph, n))
        and (link_event(activity_of(graph, n)) or ("", None))[0] not in thrown
    ]


def is_compensation_handler(activity: Activity) -> bool:
    """Is ``activity`` marked ``IsForCompensation="true"`` (xs:boolean: ``true`` or ``1``)?

    BPMN's compensation handler has no transition in: a Compensation event attached to the
    activity it undoes is tied to it by an association, and it runs only when that activity is
    compensated, never as part of the normal flow. Having no way in, it would otherwise count
    as a start activity of a scope with no start events and be run with every instance."""
    value = dict(activity.extra_attrs).get("IsForCompensation", "")
    return value.strip() in ("true", "1")


def is_triggered_start(activity: Activity) -> bool:
    """Is ``activity`` a start event with a trigger (Timer, Message, ...)? Beside a None start
    event it is another way in, where the scope begins only on its trigger. An intermediate
    event with no way in is no start event: in a scope with no start events it starts with the
    scope (and waits there for its trigger)."""
    event = activity.event
    return (
        event is not None
        and event.position is EventPosition.START
        and event.trigger not in ("None", "")
    )


def starts_together(graph: nx.MultiDiGraph[str]) -> list[str]:
    """The start activities of a scope graph that begin together when it starts: its None
    start events (a triggered one beside them is another way in), else all its start events
    (as a start by hand begins them), else its implicit starts (see :func:`start_ids`) --
    the rule the engine's compiler follows for where a scope begins."""
    starts = start_ids(graph)
    return [n for n in starts if not is_triggered_start(activity_of(graph, n))] or starts


def end_ids(graph: nx.MultiDiGraph[str]) -> list[str]:
    """Ids of the end activities of a scope graph, in definition order.

    End events where the scope has any; otherwise every activity with no outgoing transition
    (the implicit termination of XPDL 1.0: a path simply stops).
    """
    by_event = [n for n in graph if _event_position(graph, n) is EventPosition.END]
    if by_event:
        return by_event
    return [n for n in graph if graph.out_degree(n) == 0]


def start_activities(
    process: WorkflowProcess, activity_set: ActivitySet | None = None
) -> list[Activity]:
    """The start activities of the process's top level (or of ``activity_set``).

    See :func:`start_ids` for the rule.
    """
    graph = process_graph(process, activity_set)
    return [activity_of(graph, n) for n in start_ids(graph)]


def end_activities(
    process: WorkflowProcess, activity_set: ActivitySet | None = None
) -> list[Activity]:
    """The end activities of the process's top level (or of ``activity_set``).

    See :func:`end_ids` for the rule.
    """
    graph = process_graph(process, activity_set)
    return [activity_of(graph, n) for n in end_ids(graph)]


def reaching(graph: nx.MultiDiGraph[str], nodes: set[str]) -> set[str]:
    """``nodes`` and every node of ``graph`` with a path to one of them (one backward walk)."""
    return _closure(nodes, graph.predecessors)


def _closure(seeds: set[str], step: Callable[[str], Iterable[str]]) -> set[str]:
    """``seeds`` and every node ``step`` leads to from them, again and again."""
    found = set(seeds)
    todo = list(seeds)
    while todo:
        for node in step(todo.pop()):
            if node not in found:
                found.add(node)
                todo.append(node)
    return found


#: transitions an activity takes instead of its others, never beside them
_ALTERNATIVES = (ConditionType.OTHERWISE, ConditionType.EXCEPTION, ConditionType.DEFAULTEXCEPTION)


def _way(graph: nx.MultiDiGraph[str], node: str, target: str, data: dict[str, object]) -> str:
    """How a token leaves ``node`` along an edge of an analysis graph: ``"beside"`` (a
    non-interrupting boundary event: a thread of its own while the activity goes on),
    ``"parallel"`` (a transition a non-exclusive split takes with its others) or ``"choice"``
    (one of several ways, a link's go-to, an interrupting event)."""
    transition = data.get("transition")
    if not isinstance(transition, Transition):
        event = activity_of(graph, target).event
        beside = event is not None and event.target == node and not event.interrupts
        return "beside" if beside else "choice"
    condition = transition.condition
    if condition is not None and condition.type in _ALTERNATIVES:
        return "choice"
    activity = activity_of(graph, node)
    exclusive = activity.split_gateway is GatewayType.EXCLUSIVE or is_event_gateway(activity)
    return "choice" if exclusive else "parallel"


def runs_beside(graph: nx.MultiDiGraph[str], enders: set[str], together: list[str]) -> set[str]:
    """The nodes of ``graph`` (a scope's analysis graph, boundary events tied to their
    activities) a thread may be at while a thread beside it can still reach one of ``enders``.

    Two threads run side by side from two starts of ``together`` (the starts that begin
    together), from two transitions a non-exclusive split takes together, and from an activity
    and a non-interrupting boundary event on it (the activity itself goes on while its event's
    thread runs). Conditions are not evaluated: a way that may be taken counts. One walk back
    from ``enders`` and one forward, however many questions are then asked.
    """
    if not enders:
        return set()
    to_end = reaching(graph, enders)
    starting = [s for s in together if s in to_end]
    seeds = {s for s in together if len(starting) > 1 or starting not in ([], [s])}
    for node in graph:
        ways = [(_way(graph, node, t, data), t) for _, t, data in graph.out_edges(node, data=True)]
        ending = [how for how, target in ways if target in to_end]
        if not ending:
            continue
        if "beside" in ending:
            seeds.add(node)  # the activity runs on beside its event's thread
        for how, target in ways:
            own = 1 if target in to_end else 0
            if how == "beside":
                others = len(ending) - own
            elif how == "parallel":
                others = sum(h != "choice" for h in ending) - own
            else:
                others = ending.count("beside")
            if others > 0:
                seeds.add(target)
    return _closure(seeds, graph.successors)
