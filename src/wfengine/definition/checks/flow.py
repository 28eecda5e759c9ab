"""Control-flow checks on each scope's graph: starts, ends, reachability, cycles, joins.

Only what makes a scope impossible to run is an error: no start, no end, a cycle that no path
leaves and nothing ends. An unreachable activity or one that cannot reach an end is a warning:
the rest of the process still runs, and tools write such fragments while a model is in progress.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from wfengine.definition.build_events import known_triggers
from wfengine.definition.checks.adhoc import adhoc_findings
from wfengine.definition.checks.and_join import (
    check_and_join_after_xor as check_and_join_after_xor,  # validation imports it from here
)
from wfengine.definition.checks.boundary_targets import boundary_target_findings
from wfengine.definition.checks.context import Context, Scope
from wfengine.definition.checks.event_throws import misplaced_throw_findings
from wfengine.definition.checks.links import (
    check_links as check_links,  # validation imports it from here
)
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.event_texts import condition_text
from wfengine.definition.graph import (
    activity_of,
    attached_beside,
    end_ids,
    is_boundary_event,
    is_compensation_handler,
    reaching,
    runs_beside,
    start_ids,
    starts_together,
)
from wfengine.definition.model import (
    Activity,
    BlockActivity,
    Event,
    EventPosition,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    WorkflowProcess,
)

#: how many member Ids a cycle message lists before it says "and N more"
_CYCLE_NAMES_SHOWN = 5


def _starts(ctx: Context, scope: Scope) -> list[str]:
    """Start Ids, plus the start activity a block or the set itself declares."""
    starts = start_ids(scope.graph)
    declared: list[str | None] = []
    if scope.activity_set is not None:
        declared.append(scope.activity_set.default_start_activity_id)
        declared.extend(
            ctx.process_index(scope.process).block_starts.get(scope.activity_set.id, ())
        )
    for node in declared:
        if node is not None and node in scope.graph and node not in starts:
            starts.append(node)
    starts.extend(n for n in event_subprocess_blocks(ctx, scope) if n not in starts)
    return starts


def event_subprocess_blocks(ctx: Context, scope: Scope) -> list[str]:
    """The block activities of a scope that run an event sub-process (an activity set with
    ``TriggeredByEvent="true"``): no transition reaches them, their event starts them."""
    triggered = ctx.process_index(scope.process).triggered
    if not triggered:
        return []
    return [
        n
        for n in scope.graph
        if getattr(activity_of(scope.graph, n).body, "activity_set_id", None) in triggered
    ]


def check_start_and_end(ctx: Context) -> Iterator[Diagnostic]:
    """``empty-process``, ``no-start``, ``no-end`` (and ``adhoc-unused``: :mod:`.adhoc`) for
    each process and activity set."""
    endings: _Endings | None = None
    for scope in ctx.scopes:
        yield from adhoc_findings(scope)
        if not scope.activities:
            yield make(
                "empty-process",
                f"{scope.where} has no activities",
                element_id=scope.element_id,
                line=scope.line,
            )
            continue
        if not _starts(ctx, scope):
            yield make(
                "no-start",
                f"{scope.where} has no start activity: every activity has an incoming "
                "transition and there is no start event",
                element_id=scope.element_id,
                line=scope.line,
            )
        if end_ids(scope.graph):
            continue
        if scope.activity_set is not None:  # an activity set something around it ends
            endings = endings or _Endings(ctx)  # (a block polling until an event on it fires)
            if endings.ended(scope, set(scope.graph) - set(event_subprocess_blocks(ctx, scope))):
                continue
        yield make(
            "no-end",
            f"{scope.where} has no end activity: every activity has an outgoing "
            "transition and there is no end event",
            element_id=scope.element_id,
            line=scope.line,
        )


def check_unreachable(ctx: Context) -> Iterator[Diagnostic]:
    """``unreachable-activity``: no path from any start leads to the activity."""
    for scope in ctx.scopes:
        starts = _starts(ctx, scope)
        if not starts:
            continue  # no-start already says it; every activity would be listed
        graph = scope.analysis_graph
        reached = set(starts)
        for start in starts:
            reached |= nx.descendants(graph, start)
        for node in scope.graph:
            if node not in reached:
                activity = activity_of(scope.graph, node)
                why = (
                    ': it is a compensation handler (IsForCompensation="true"), and the engine '
                    "compensates nothing"
                    if is_compensation_handler(activity)
                    else ""
                )
                yield make(
                    "unreachable-activity",
                    f"activity {node!r} in {scope.where} cannot be reached from any start "
                    f"activity; it never runs{why}",
                    element_id=node,
                    line=activity.line,
                )


#: the triggers an attached (boundary) event may have for the engine to arm it
ARMED_TRIGGERS = frozenset(
    {"Timer", "Message", "Signal", "Error", "Escalation", "Conditional", "Cancel"}
)
#: the triggers an intermediate event in the flow runs by (besides a Conditional event with
#: a condition): it waits for a time, message or signal, goes where its link says, or throws
FLOW_TRIGGERS = frozenset(
    {"", "None", "Timer", "Message", "Signal", "Link", "Error", "Escalation", "Cancel"}
)
#: the start-event triggers an event sub-process is armed by
EVENT_SUB_TRIGGERS = frozenset({"Timer", "Message", "Signal", "Error", "Escalation"})
#: the process extended attribute naming the fields messages are correlated by
CORRELATION = "wfengine:correlation"


def correlation_keys(process: WorkflowProcess) -> tuple[str, ...]:
    """The fields ``process`` correlates messages by: its ``wfengine:correlation``, comma
    separated."""
    text = process.extended_attribute(CORRELATION) or ""
    return tuple(k.strip() for k in text.split(",") if k.strip())


def check_boundary_events(ctx: Context) -> Iterator[Diagnostic]:
    """The events that wait beside the flow: ``boundary-target`` (:mod:`.boundary_targets`),
    an attached event naming no activity it can fire from, or one a transition leads into;
    ``boundary-trigger``, an attached event or an event sub-process's start with a trigger the
    engine never arms (None, Link, Conditional on an event sub-process, ...); ``event-throw``, a
    start or attached event that throws (:mod:`.event_throws`); ``event-trigger``,
    an intermediate event in the flow the engine cannot run; and ``undefined-data-field`` for a
    message correlation key (``wfengine:correlation``) that names no field."""
    yield from _event_subprocess_triggers(ctx)
    yield from _flow_event_triggers(ctx)
    yield from _start_event_triggers(ctx)
    yield from _correlation_fields(ctx)
    yield from boundary_target_findings(ctx)
    yield from misplaced_throw_findings(ctx)
    for scope, node, activity, event in _events(ctx):
        if (
            is_boundary_event(activity)
            and event.target in scope.graph
            and event.trigger not in ARMED_TRIGGERS
            and event.trigger in known_triggers(event.position)  # else: unread-flow's
        ):
            yield make(
                "boundary-trigger",
                f"event {node!r} in {scope.where} is attached to {event.target!r} with "
                f"trigger {event.trigger!r}; the engine arms "
                f"{', '.join(sorted(ARMED_TRIGGERS))}, so it never fires",
                element_id=node,
                line=activity.line,
            )


def _events(ctx: Context) -> Iterator[tuple[Scope, str, Activity, Event]]:
    """Every event activity of every scope, with its scope and node id."""
    for scope in ctx.scopes:
        for node in scope.graph:
            activity = activity_of(scope.graph, node)
            if activity.event is not None:
                yield scope, node, activity, activity.event


def _event_subprocess_triggers(ctx: Context) -> Iterator[Diagnostic]:
    """``boundary-trigger`` for an event sub-process whose start events have no trigger the
    engine arms: it never starts."""
    for scope in ctx.scopes:
        blocks = event_subprocess_blocks(ctx, scope)
        if not blocks:
            continue
        sets = ctx.process_index(scope.process).sets
        for node in blocks:
            activity = activity_of(scope.graph, node)
            aset = sets[getattr(activity.body, "activity_set_id", "")]
            triggers = [
                a.event.trigger
                for a in aset.activities
                if a.event is not None and a.event.position is EventPosition.START
            ]
            if any(t in EVENT_SUB_TRIGGERS for t in triggers):
                continue
            has = (
                f"its start event's trigger is {', '.join(repr(t) for t in triggers)}"
                if triggers
                else "its activity set has no start event"
            )
            yield make(
                "boundary-trigger",
                f"event sub-process {node!r} in {scope.where} runs activity set {aset.id!r}; "
                f"{has}, and the engine starts event sub-processes on "
                f"{', '.join(sorted(EVENT_SUB_TRIGGERS))}, so it never starts",
                element_id=node,
                line=activity.line,
            )


def _flow_event_triggers(ctx: Context) -> Iterator[Diagnostic]:
    """``event-trigger`` for an intermediate event in the flow (not attached) whose trigger
    the engine cannot run: an instance reaching it would stop with an incident."""
    for scope, node, activity, event in _events(ctx):
        if event.position is not EventPosition.INTERMEDIATE or event.target is not None:
            continue
        trigger = event.trigger
        if trigger in FLOW_TRIGGERS or (trigger == "Conditional" and condition_text(event)):
            continue
        if trigger not in known_triggers(event.position):
            continue  # no XPDL trigger at all: unread-flow's error says so
        why = (
            "is a Conditional event with no condition"
            if trigger == "Conditional"
            else f"has trigger {trigger!r}"
        )
        yield make(
            "event-trigger",
            f"event {node!r} in {scope.where} {why}; in the flow the engine runs "
            f"{', '.join(sorted(t for t in FLOW_TRIGGERS if t))} and Conditional events "
            "with a condition, so an instance reaching it stops with an incident",
            element_id=node,
            line=activity.line,
        )


def _start_event_triggers(ctx: Context) -> Iterator[Diagnostic]:
    """``event-trigger`` for a Conditional start event of a process (not of an event
    sub-process: ``boundary-trigger`` says that one never starts): the engine has nothing to
    evaluate its condition against before an instance exists, so no data change starts an
    instance there; ``start_process`` starts at it as at a None start event when it is the
    only way in."""
    for scope, node, activity, event in _events(ctx):
        if (
            scope.activity_set is None
            and event.position is EventPosition.START
            and event.trigger == "Conditional"
        ):
            yield make(
                "event-trigger",
                f"start event {node!r} in {scope.where} has trigger 'Conditional'; the engine "
                "never tests a start condition, so no data change starts an instance there "
                "(start the process with start_process, or use a Message or Signal start "
                "event the host sends when the condition holds)",
                element_id=node,
                line=activity.line,
            )


def _correlation_fields(ctx: Context) -> Iterator[Diagnostic]:
    """``undefined-data-field`` for a correlation key naming no field of the process or
    package (a typo, or keys separated by something other than commas): no message would
    ever find an instance by it."""
    for process in ctx.processes:
        keys = correlation_keys(process)
        if not keys:
            continue
        names = ctx.data_names(process)
        for key in keys:
            if key in names:
                continue
            hint = (
                "; separate keys with commas"
                if any(c in key for c in ";| ") and not key.isidentifier()
                else ""
            )
            yield make(
                "undefined-data-field",
                f"process {process.id!r} correlates messages by {key!r} ({CORRELATION}), "
                f"which is no data field or formal parameter of the process or package; no "
                f"message would find an instance by it{hint}",
                element_id=process.id,
                line=process.line,
            )


def _trapping_cycles(graph: nx.MultiDiGraph[str], ends: set[str]) -> list[set[str]]:
    """Strongly connected components that hold a cycle, have no edge out and no end inside.

    The way to a non-interrupting event attached to a member is no way out: the token stays
    in the cycle while the event's way runs beside it (unless that way can end the instance
    with a Terminate end event).
    """
    terminates = {
        n for n in graph if (e := activity_of(graph, n).event) is not None and e.is_terminate
    }
    terminating = reaching(graph, terminates)
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) == 1:
            (node,) = component
            if not graph.has_edge(node, node):
                continue
        if component & ends:
            continue
        leaves = any(
            succ not in component and not _beside_only(graph, node, succ, terminating)
            for node in component
            for succ in graph.successors(node)
        )
        if not leaves:
            found.append(component)
    return found


def _beside_only(graph: nx.MultiDiGraph[str], node: str, succ: str, terminating: set[str]) -> bool:
    """Whether ``succ`` is a non-interrupting event attached to ``node`` whose way cannot reach
    a Terminate end event: firing it leaves ``node``'s token where it is."""
    return attached_beside(graph, node, succ) and succ not in terminating


def _deliberate_stops(graph: nx.MultiDiGraph[str]) -> set[str]:
    """Intermediate events where a path stops on purpose: they have no transition out.

    An error, signal or link event thrown in the middle of a flow ends that path (TIBCO writes
    an error thrown from an embedded subprocess this way); not reaching an end event from it is
    the modeller's intent, not a dead end.
    """
    stops = set()
    for node in graph:
        activity = activity_of(graph, node)
        event = activity.event
        if (
            event is not None
            and event.position is EventPosition.INTERMEDIATE
            and not is_boundary_event(activity)
            and graph.out_degree(node) == 0
        ):
            stops.add(node)
    return stops


def _ordered(graph: nx.MultiDiGraph[str], nodes: set[str]) -> list[str]:
    """``nodes`` in definition order (the graph's node order)."""
    return [n for n in graph if n in nodes]


def check_dead_ends_and_cycles(ctx: Context) -> Iterator[Diagnostic]:
    """``cycle-no-exit`` (error) and ``dead-end`` (warning).

    Conditions are not evaluated: a cycle counts as left when any transition leaves it, however
    guarded, because whether the guard ever holds depends on the data; and a cycle that
    something else can end (see :class:`_Endings`) is no trap, nor is the way into it a dead end.
    """
    endings: _Endings | None = None
    for scope in ctx.scopes:
        ends = end_ids(scope.graph)
        if not ends:
            continue  # no-end already says it
        graph = scope.analysis_graph
        trapped: set[str] = set()
        ended: set[str] = set()
        for component in _trapping_cycles(graph, set(ends)):
            endings = endings or _Endings(ctx)
            if endings.ended(scope, component):
                ended |= component
                continue
            trapped |= component
            members = _ordered(graph, component)
            shown = ", ".join(repr(m) for m in members[:_CYCLE_NAMES_SHOWN])
            more = len(members) - _CYCLE_NAMES_SHOWN
            if more > 0:
                shown += f" and {more} more"
            first = members[0]
            yield make(
                "cycle-no-exit",
                f"in {scope.where} the cycle through {shown} has no transition leaving it and "
                "no end activity, and nothing ends it (no Terminate end event on a way beside "
                "it, no interrupting event around it); an instance that enters it never completes",
                element_id=first,
                line=activity_of(scope.graph, first).line,
            )
        subs = set(event_subprocess_blocks(ctx, scope))
        can_end = reaching(graph, set(ends) | _deliberate_stops(graph) | ended)
        for node in scope.graph:
            if node in can_end or node in trapped:
                continue
            activity = activity_of(scope.graph, node)
            if is_boundary_event(activity) and graph.out_degree(node) == 0:
                continue  # an attached event with no flow out just interrupts its activity
            if node in subs and graph.out_degree(node) == 0:
                continue  # an event sub-process ends where it ends
            yield make(
                "dead-end",
                f"activity {node!r} in {scope.where} cannot reach any end activity",
                element_id=node,
                line=activity.line,
            )


#: triggers that fire from outside what they interrupt: a clock, a message, a signal, data
_OUTSIDE = frozenset({"Timer", "Message", "Signal", "Conditional"})
#: what a throw sends up to the nearest catch (an end or intermediate throw result): it fires
#: only when something inside throws it (the runtime's list too: one rule)
THROWN = frozenset({"Error", "Escalation", "Cancel"})


class _Endings:
    """What ends a scope's threads other than its own end events: a Terminate end event that
    a thread beside them can reach, an interrupting event sub-process of the scope or of a
    scope around it, or an interrupting event on the block running it (each level up: the
    block is then what never ends). A thrown trigger (error, escalation, cancel) counts when
    something inside can throw it. Built only for the unusual case, a cycle with no way out
    or an activity set with no end; a process's top level has nothing around it (it may be
    started on its own)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.sets: dict[tuple[int, str], Scope] = {}
        for scope in ctx.scopes:
            if scope.activity_set is not None:
                self.sets.setdefault((id(scope.process), scope.activity_set.id), scope)
        #: an activity set's scope -> the (scope, block) pairs that run it
        self.runners: dict[Scope, list[tuple[Scope, str]]] = {}
        for scope in ctx.scopes:
            for node in scope.graph:
                inner = self._set_of(scope, node)
                if inner is not None:
                    self.runners.setdefault(inner, []).append((scope, node))
        self.kinds: dict[Scope, frozenset[str]] = {}
        self.beside: dict[Scope, set[str]] = {}
        self.subs: dict[Scope, list[tuple[str, str, bool]]] = {}

    def _set_of(self, scope: Scope, node: str) -> Scope | None:
        body = activity_of(scope.graph, node).body
        if not isinstance(body, BlockActivity):
            return None
        return self.sets.get((id(scope.process), body.activity_set_id))

    def throws(self, scope: Scope, seen: frozenset[Scope] = frozenset()) -> frozenset[str]:
        """What the scope's activities may throw up (event sub-processes left out: one
        never catches its own throw): an application's failure is an error, a subflow's
        process or a block's set may throw anything its own activities throw."""
        if scope in self.kinds or scope in seen:
            return self.kinds.get(scope, frozenset())
        kinds: set[str] = set()
        subs = set(event_subprocess_blocks(self.ctx, scope))
        for node in scope.graph:
            body = activity_of(scope.graph, node).body
            inner = self._set_of(scope, node)
            if node in subs:
                continue
            if inner is not None:
                kinds |= self.throws(inner, seen | {scope})
            elif isinstance(body, SubFlowImplementation):
                kinds |= THROWN
            elif isinstance(body, TaskImplementation):
                if body.task is TaskKind.APPLICATION or body.tools:
                    kinds.add("Error")
            elif (
                isinstance(body, Event)
                and body.trigger in THROWN
                and not body.target
                and body.position is not EventPosition.START
            ):
                kinds.add(body.trigger)
        self.kinds[scope] = frozenset(kinds)
        return self.kinds[scope]

    def _subprocesses(self, scope: Scope) -> list[tuple[str, str, bool]]:
        """(block, trigger, interrupting) of each event sub-process of the scope that starts."""
        if scope in self.subs:
            return self.subs[scope]
        found = self.subs[scope] = []
        for node in event_subprocess_blocks(self.ctx, scope):
            inner = self._set_of(scope, node)
            assert inner is not None and inner.activity_set is not None
            for activity in inner.activity_set.activities:
                event = activity.event
                if event is None or event.position is not EventPosition.START:
                    continue
                if event.trigger in EVENT_SUB_TRIGGERS:
                    stops = event.interrupts
                    found.append((node, event.trigger, stops))
                    break
        return found

    def _interrupted(self, scope: Scope, node: str, kinds: frozenset[str]) -> bool:
        """Whether an interrupting event attached to ``node`` can fire: from outside, or
        caught from a throw of ``kinds``."""
        for succ in scope.analysis_graph.successors(node):
            activity = activity_of(scope.graph, succ)
            event = activity.event
            if event is None or event.target != node or event.trigger not in ARMED_TRIGGERS:
                continue
            if not event.interrupts:
                continue
            if event.trigger == "Conditional" and not condition_text(event):
                continue
            if event.trigger in _OUTSIDE or event.trigger in kinds:
                return True
        return False

    def _together(self, scope: Scope) -> list[str]:
        """The starts of the scope that begin together (see :func:`starts_together`); none
        where a start is named (a block's or the set's own) or for an event sub-process."""
        aset = scope.activity_set
        if aset is not None:
            named = aset.default_start_activity_id is not None or any(
                getattr(activity_of(outer.graph, n).body, "start_activity_id", None)
                for outer, n in self.runners.get(scope, ())
            )
            if named or dict(aset.extra_attrs).get("TriggeredByEvent", "false") == "true":
                return []
        return starts_together(scope.graph)

    def _beside(self, scope: Scope) -> set[str]:
        """The nodes a Terminate end event of ``scope`` can end from a thread beside them
        (an event sub-process runs beside the whole flow: any terminate reached ends it)."""
        if scope not in self.beside:
            graph = scope.analysis_graph
            terminates = {
                n
                for n in graph
                if (e := activity_of(graph, n).event) is not None and e.is_terminate
            }
            found = runs_beside(graph, terminates, self._together(scope))
            if terminates and set(_starts(self.ctx, scope)) & reaching(graph, terminates):
                found.update(event_subprocess_blocks(self.ctx, scope))
            self.beside[scope] = found
        return self.beside[scope]

    def ended(self, scope: Scope, stuck: set[str], seen: frozenset[Scope] = frozenset()) -> bool:
        """Whether something can end the threads caught in ``stuck`` (nodes of ``scope``)."""
        kinds = self.throws(scope)
        subs = self._subprocesses(scope)
        own = [stops for node, _, stops in subs if node in stuck]
        if not any(own):  # an interrupting event sub-process withdraws the rest of its scope
            if any(
                stops and node not in stuck and (trigger in _OUTSIDE or trigger in kinds)
                for node, trigger, stops in subs
            ):
                return True
            if stuck & self._beside(scope):
                return True
        if scope.activity_set is None or scope in seen or scope not in self.runners:
            return False
        return all(
            self._interrupted(outer, node, kinds) or self.ended(outer, {node}, seen | {scope})
            for outer, node in self.runners[scope]
        )
