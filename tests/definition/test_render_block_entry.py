"""``render`` joins a block to where the engine enters its activity set, not to the set's
first-listed activity (TIBCO and JaWE often list a set's end first)."""

from __future__ import annotations

from wfengine.definition.model import (
    Activity,
    ActivitySet,
    BlockActivity,
    Event,
    EventPosition,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.render import process_to_dot


def _entries(dot: str) -> list[str]:
    return [line.strip() for line in dot.splitlines() if 'arrowhead="open"' in line]


def _process(inner: ActivitySet, block: BlockActivity | None = None) -> WorkflowProcess:
    body = block or BlockActivity(activity_set_id=inner.id)
    return WorkflowProcess(
        id="p", activities=(Activity(id="b", body=body),), activity_sets=(inner,)
    )


def test_a_set_listing_its_end_first_is_entered_at_its_start_event() -> None:
    inner = ActivitySet(
        id="inner",
        activities=(
            Activity(id="inner_end", body=Event(position=EventPosition.END)),
            Activity(id="step"),
            Activity(id="inner_start", body=Event(position=EventPosition.START)),
        ),
        transitions=(
            Transition(id="t1", from_="inner_start", to="step"),
            Transition(id="t2", from_="step", to="inner_end"),
        ),
    )
    entries = _entries(process_to_dot(_process(inner)))
    assert entries == ['"b" -> "inner/inner_start" [style="dotted", arrowhead="open"];']


def test_a_set_with_no_events_is_entered_at_each_activity_with_no_way_in() -> None:
    inner = ActivitySet(
        id="s",
        activities=(Activity(id="done"), Activity(id="x"), Activity(id="y")),
        transitions=(
            Transition(id="t1", from_="x", to="done"),
            Transition(id="t2", from_="y", to="done"),
        ),
    )
    entries = _entries(process_to_dot(_process(inner)))
    assert [e.split(" [")[0] for e in entries] == ['"b" -> "s/x"', '"b" -> "s/y"']


def test_a_named_start_wins_over_the_set_s_starts() -> None:
    inner = ActivitySet(
        id="s",
        activities=(Activity(id="x"), Activity(id="y")),
        transitions=(Transition(id="t1", from_="x", to="y"),),
        default_start_activity_id="y",
    )
    assert [e.split(" [")[0] for e in _entries(process_to_dot(_process(inner)))] == ['"b" -> "s/y"']
    block = BlockActivity(activity_set_id="s", start_activity_id="x")
    assert [e.split(" [")[0] for e in _entries(process_to_dot(_process(inner, block)))] == [
        '"b" -> "s/x"'
    ]
