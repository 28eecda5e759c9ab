"""An event-based gateway's way to something that is no catch event, as it runs.

Why: docs/semantics.md said such a way "would win at once, every time", but that is so only
for what does not wait. A person's task there races the catch events: the engine offers it as
the gateway is reached, withdraws it when an event fires first, and withdraws the catch events
when the person completes it first. The doc now says so; these tests hold the engine to it
(and to an automatic target's winning at once, but for a message kept already whose catch is
listed before it)."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def _race(target: str, catch_first: bool = True) -> PackageBuilder:
    """``ask`` -> event-based gateway ``gw`` -> message catch ``reply`` -> ``answered``, and
    -> ``other`` (``person``: the clerks' task; ``automatic``: no one's) -> ``after_other``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("clerk")
    p.activity("ask", performer="clerk").route("gw", gateway="EventBased")
    p.intermediate("reply", message="reply").activity("answered", performer="clerk")
    p.activity("other", performer="clerk" if target == "person" else None)
    p.activity("after_other", performer="clerk")
    p.transition("ask", "gw")
    ways = [("gw", "reply"), ("gw", "other")]
    for source, way in ways if catch_first else ways[::-1]:
        p.transition(source, way)
    p.transition("reply", "answered").transition("other", "after_other")
    return pb


def _complete(engine: Engine, iid: str, activity_id: str) -> None:
    [item] = [w for w in engine.work_items(iid) if w.activity_id == activity_id]
    engine.complete_work_item(item.id)


def _states(engine: Engine, iid: str) -> dict[str, str]:
    return {a.activity_id: a.state.value for a in engine.activity_instances(iid)}


def _offered(engine: Engine, iid: str) -> list[str]:
    return sorted(w.activity_id for w in engine.work_items(iid))


def test_a_persons_task_is_withdrawn_when_the_message_comes_first(engine: Engine) -> None:
    iid = run(engine, _race("person"))
    _complete(engine, iid, "ask")
    assert _offered(engine, iid) == ["other"]  # offered as the gateway is reached ...
    assert _states(engine, iid)["reply"] == "open.running"  # ... while the catch waits
    engine.send_message("reply", {}, instance_id=iid)
    assert _offered(engine, iid) == ["answered"]
    states = _states(engine, iid)
    assert (states["reply"], states["other"]) == ("closed.completed", "closed.aborted")
    assert "after_other" not in states


def test_the_message_catch_is_withdrawn_when_the_person_completes_first(engine: Engine) -> None:
    iid = run(engine, _race("person"))
    _complete(engine, iid, "ask")
    _complete(engine, iid, "other")
    assert _offered(engine, iid) == ["after_other"]
    assert _states(engine, iid)["reply"] == "closed.aborted"
    engine.send_message("reply", {}, instance_id=iid)  # too late: the choice is made
    assert _offered(engine, iid) == ["after_other"]
    assert "answered" not in _states(engine, iid)


def test_what_does_not_wait_wins_as_the_gateway_is_reached(engine: Engine) -> None:
    iid = run(engine, _race("automatic"))
    _complete(engine, iid, "ask")
    assert _offered(engine, iid) == ["after_other"]
    states = _states(engine, iid)
    assert (states["other"], states["reply"]) == ("closed.completed", "closed.aborted")


@pytest.mark.parametrize(("catch_first", "winner"), [(True, "answered"), (False, "after_other")])
def test_a_message_kept_already_wins_only_for_a_catch_listed_first(
    engine: Engine, catch_first: bool, winner: str
) -> None:
    iid = run(engine, _race("automatic", catch_first))
    engine.send_message("reply", {}, instance_id=iid)  # kept: the gateway is not reached
    _complete(engine, iid, "ask")
    assert _offered(engine, iid) == [winner]
