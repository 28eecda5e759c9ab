"""The graph view: what the compiler, validation and rendering agree a process looks like."""

from __future__ import annotations

import networkx as nx

from wfengine.definition.graph import (
    end_activities,
    end_ids,
    is_boundary_event,
    process_graph,
    start_activities,
    start_ids,
)
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    Condition,
    ConditionType,
    Event,
    EventPosition,
    Transition,
    WorkflowProcess,
)


def act(
    activity_id: str, position: EventPosition | None = None, target: str | None = None
) -> Activity:
    if position is None:
        return Activity(id=activity_id)
    return Activity(id=activity_id, body=Event(position=position, target=target))


def tr(transition_id: str, source: str, target: str, condition: str | None = None) -> Transition:
    cond = Condition(type=ConditionType.CONDITION, expression=condition) if condition else None
    return Transition(id=transition_id, from_=source, to=target, condition=cond)


def test_nodes_carry_activities_in_definition_order_and_edges_carry_transitions() -> None:
    a, b, c = act("a"), act("b"), act("c")
    t1, t2 = tr("t1", "a", "b"), tr("t2", "b", "c")
    graph = process_graph(WorkflowProcess(id="p", activities=(c, a, b), transitions=(t1, t2)))
    assert list(graph) == ["c", "a", "b"]
    assert graph.nodes["a"]["activity"] is a
    assert graph.edges["a", "b", "t1"]["transition"] is t1


def test_parallel_transitions_between_one_pair_are_all_kept() -> None:
    process = WorkflowProcess(
        id="p",
        activities=(act("a"), act("b")),
        transitions=(tr("yes", "a", "b", "x > 1"), tr("no", "a", "b")),
    )
    graph = process_graph(process)
    assert isinstance(graph, nx.DiGraph)
    assert sorted(k for _, _, k in graph.edges(keys=True)) == ["no", "yes"]
    assert graph.out_degree("a") == 2


def test_dangling_transitions_add_no_nodes() -> None:
    process = WorkflowProcess(id="p", activities=(act("a"),), transitions=(tr("t", "a", "ghost"),))
    graph = process_graph(process)
    assert list(graph) == ["a"]
    assert graph.number_of_edges() == 0


def test_repeated_activity_id_keeps_the_first() -> None:
    first, second = Activity(id="a", name="first"), Activity(id="a", name="second")
    graph = process_graph(WorkflowProcess(id="p", activities=(first, second)))
    assert graph.nodes["a"]["activity"] is first


def test_activity_set_is_its_own_graph() -> None:
    inner = ActivitySet(id="s", activities=(act("x"), act("y")), transitions=(tr("t", "x", "y"),))
    process = WorkflowProcess(id="p", activities=(act("a"),), activity_sets=(inner,))
    assert list(process_graph(process)) == ["a"]
    assert list(process_graph(process, inner)) == ["x", "y"]
    assert [a.id for a in start_activities(process, inner)] == ["x"]
    assert [a.id for a in end_activities(process, inner)] == ["y"]


def test_without_events_starts_have_no_incoming_and_ends_no_outgoing() -> None:
    process = WorkflowProcess(
        id="p",
        activities=(act("a"), act("b"), act("c"), act("d")),
        transitions=(tr("1", "a", "b"), tr("2", "b", "c"), tr("3", "d", "b"), tr("4", "b", "b")),
    )
    assert [a.id for a in start_activities(process)] == ["a", "d"]
    assert [a.id for a in end_activities(process)] == ["c"]


def test_events_decide_starts_and_ends_when_present() -> None:
    process = WorkflowProcess(
        id="p",
        activities=(
            act("s", EventPosition.START),
            act("orphan"),
            act("work"),
            act("e", EventPosition.END),
            act("stop"),
        ),
        transitions=(tr("1", "s", "work"), tr("2", "work", "e"), tr("3", "orphan", "stop")),
    )
    graph = process_graph(process)
    assert start_ids(graph) == ["s"]
    assert end_ids(graph) == ["e"]


def test_boundary_event_is_not_a_start() -> None:
    boundary = act("timer", EventPosition.INTERMEDIATE, target="work")
    process = WorkflowProcess(
        id="p",
        activities=(act("work"), boundary, act("late"), act("done")),
        transitions=(tr("1", "work", "done"), tr("2", "timer", "late")),
    )
    assert is_boundary_event(boundary)
    assert not is_boundary_event(act("catch", EventPosition.INTERMEDIATE))
    assert [a.id for a in start_activities(process)] == ["work"]
    assert [a.id for a in end_activities(process)] == ["late", "done"]
