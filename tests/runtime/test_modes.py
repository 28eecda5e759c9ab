"""Automatic versus manual: each row of the rule table in ``wfengine.definition.modes``.

Every test runs on every store (the ``engine`` fixture). A process is ``s -> x -> e`` where
``x`` is the activity under test; what a test checks is whether ``x`` waited for a person,
when its application was called and how often.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Activity, TaskImplementation, TaskKind
from wfengine.definition.modes import modes, needs_person
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState, ProcessState


def _package(**x: Any) -> PackageBuilder:
    pb = PackageBuilder("modes")
    pb.participant("clerk")
    pb.participant("erp", type="SYSTEM")
    pb.application("stamp", params=[("stamp_in", "IN", "INTEGER"), ("stamp_out", "OUT", "INTEGER")])
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="1")
    p.data_field("m", "INTEGER")
    p.start("s")
    body = x.pop("body", None)
    if body is not None:
        p.add_activity(Activity(id="x", body=body, **x))
    elif x.pop("route", False):
        p.route("x", **x)
    else:
        p.activity("x", **x)
    p.end("e")
    p.sequence("s", "x", "e")
    return pb


def _calls(engine: Engine) -> list[int]:
    calls: list[int] = []

    def stamp(stamp_in: int) -> dict[str, int]:
        calls.append(stamp_in)
        return {"stamp_out": stamp_in + 1}

    engine.applications.register("stamp", stamp)
    return calls


def _state(engine: Engine, iid: str) -> ActivityState:
    [x] = [a for a in engine.activity_instances(iid) if a.activity_id == "x"]
    return x.state


def test_route_with_a_performer_never_waits(engine: Engine) -> None:
    iid = run(engine, _package(route=True, performer="clerk", start_mode="Manual"))
    assert engine.work_items(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_no_implementation_with_a_performer_is_a_person_s_work(engine: Engine) -> None:
    iid = run(engine, _package(performer="clerk"))
    [item] = engine.work_items(iid)
    assert item.activity_id == "x" and item.performers == ("clerk",)
    assert _state(engine, iid) is ActivityState.NOT_STARTED
    engine.complete_work_item(item.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_no_implementation_automatic_start_and_finish_completes_at_once(engine: Engine) -> None:
    pb = _package(performer="clerk", start_mode="Automatic", finish_mode="Automatic")
    iid = run(engine, pb)
    assert engine.work_items(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_written_automatic_start_carries_to_the_unwritten_finish(engine: Engine) -> None:
    iid = run(engine, _package(performer="clerk", start_mode="Automatic"))
    assert engine.work_items(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_no_implementation_without_performer_completes_at_once(engine: Engine) -> None:
    iid = run(engine, _package())
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_no_implementation_manual_without_performer_waits(engine: Engine) -> None:
    iid = run(engine, _package(start_mode="Manual"))
    [item] = engine.work_items(iid)
    assert item.performers == ()
    engine.complete_work_item(item.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_automatic_tool_with_a_performer_calls_its_application_once(engine: Engine) -> None:
    calls = _calls(engine)
    iid = run(engine, _package(tool="stamp", args=["n", "m"], performer="erp"))
    assert calls == [1]
    assert engine.work_items(iid) == []
    snap = engine.instance(iid)
    assert snap.state is ProcessState.COMPLETED
    assert snap.data["m"] == 2


def test_explicitly_automatic_tool_with_a_performer_calls_once(engine: Engine) -> None:
    calls = _calls(engine)
    pb = _package(
        tool="stamp",
        args=["n", "m"],
        performer="clerk",
        start_mode="Automatic",
        finish_mode="Automatic",
    )
    iid = run(engine, pb)
    assert calls == [1]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_manual_tool_calls_its_application_when_the_work_item_completes(engine: Engine) -> None:
    calls = _calls(engine)
    iid = run(
        engine, _package(tool="stamp", args=["n", "m"], performer="clerk", start_mode="Manual")
    )
    [item] = engine.work_items(iid)
    assert calls == []  # nothing runs before the person starts the work
    assert _state(engine, iid) is ActivityState.NOT_STARTED
    engine.complete_work_item(item.id, {"n": 41})
    assert calls == [41]  # called once, with the data the person gave
    snap = engine.instance(iid)
    assert snap.state is ProcessState.COMPLETED
    assert snap.data["m"] == 42


def test_manual_finish_tool_runs_first_then_waits_for_a_person(engine: Engine) -> None:
    calls = _calls(engine)
    pb = _package(
        tool="stamp",
        args=["n", "m"],
        performer="clerk",
        start_mode="Automatic",
        finish_mode="Manual",
    )
    iid = run(engine, pb)
    assert calls == [1]
    [item] = engine.work_items(iid)
    assert engine.instance(iid).data["m"] == 2
    assert _state(engine, iid) is ActivityState.RUNNING
    engine.complete_work_item(item.id)
    assert calls == [1]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_manual_tool_whose_application_fails_is_retried_without_a_new_work_item(
    engine: Engine,
) -> None:
    pb = _package(tool="stamp", args=["n", "m"], performer="clerk", start_mode="Manual")
    iid = run(engine, pb)
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)  # "stamp" is not bound yet: an incident
    [incident] = engine.incidents()
    assert "not bound" in incident.message
    calls = _calls(engine)
    engine.retry_incident(incident.id)
    assert calls == [1]
    assert engine.work_items(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize("task", [TaskKind.USER, TaskKind.MANUAL])
def test_user_and_manual_tasks_wait_for_a_person(engine: Engine, task: TaskKind) -> None:
    iid = run(engine, _package(body=TaskImplementation(task=task)))
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize("task", [TaskKind.SERVICE, TaskKind.SEND, TaskKind.BUSINESS_RULE])
def test_service_like_tasks_do_not_wait_for_a_person(engine: Engine, task: TaskKind) -> None:
    iid = run(engine, _package(body=TaskImplementation(task=task), performers=("clerk",)))
    assert engine.work_items(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_receive_task_waits_for_its_message_not_a_person(engine: Engine) -> None:
    body = TaskImplementation(task=TaskKind.RECEIVE)
    iid = run(engine, _package(body=body, performers=("clerk",)))
    assert engine.work_items(iid) == []
    assert engine.instance(iid).state is ProcessState.RUNNING
    engine.send_message("x", {"got": 1}, instance_id=iid)  # named after the task: no Message
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_the_rule_table_itself() -> None:
    """The defaults of ``modes``: what each kind of activity means when no mode is written."""
    from wfengine.definition.model import Event, EventPosition, Mode, Route

    auto, manual = Mode.AUTOMATIC, Mode.MANUAL
    rows: list[tuple[Activity, tuple[Mode, Mode]]] = [
        (Activity(id="r", body=Route(), performers=("p",), start_mode=manual), (auto, auto)),
        (Activity(id="v", body=Event(position=EventPosition.INTERMEDIATE)), (auto, auto)),
        (Activity(id="n"), (auto, auto)),
        (Activity(id="n", performers=("p",)), (manual, manual)),
        (Activity(id="t", body=TaskImplementation(task=TaskKind.APPLICATION)), (auto, auto)),
        (
            Activity(id="t", body=TaskImplementation(), performers=("p",), start_mode=manual),
            (manual, manual),
        ),
        (Activity(id="u", body=TaskImplementation(task=TaskKind.USER)), (manual, manual)),
        (Activity(id="s", body=TaskImplementation(task=TaskKind.SCRIPT)), (auto, auto)),
    ]
    for activity, expected in rows:
        assert modes(activity) == expected, activity
        assert needs_person(activity) is (manual in expected)
