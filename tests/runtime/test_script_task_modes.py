"""A script task's written StartMode and FinishMode (docs/semantics.md's table: TaskScript
with the tools): it ran at once whatever they said, with no work item and no warning."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, ProcessState


def _calc(**modes: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s").activity("calc", script="x = x + 1", performer="clerk", **modes).end("e")
    p.sequence("s", "calc", "e")
    return pb


def test_a_manual_start_offers_a_work_item_whose_completion_runs_the_script() -> None:
    with Engine() as engine:
        engine.deploy(_calc(start_mode="Manual").build())
        iid = engine.start_process("main")
        [item] = engine.work_items(iid)
        assert item.activity_id == "calc"
        assert engine.instance(iid).data["x"] == 0  # not run yet: the person comes first
        engine.complete_work_item(item.id)
        assert engine.instance(iid).data["x"] == 1
        assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_manual_finish_runs_the_script_then_offers_a_work_item_to_confirm_it() -> None:
    with Engine() as engine:
        engine.deploy(_calc(finish_mode="Manual").build())
        iid = engine.start_process("main")
        assert engine.instance(iid).data["x"] == 1  # run at once
        [item] = engine.work_items(iid)
        engine.complete_work_item(item.id)
        assert engine.instance(iid).data["x"] == 1  # (not run again)
        assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_script_task_with_automatic_modes_still_runs_at_once() -> None:
    with Engine() as engine:
        engine.deploy(_calc().build())
        iid = engine.start_process("main")
        assert engine.work_items(iid) == []
        assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_receive_tasks_written_modes_are_ignored_and_said_so() -> None:
    """A receive task waits for its message whatever its modes say; modes() said Manual,
    and show/render/validation read modes(), so they told of a work item that never came."""
    from wfengine.definition.model import Activity, Mode, TaskImplementation, TaskKind
    from wfengine.definition.modes import modes

    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").end("e")
    wait = Activity(
        id="wait",
        body=TaskImplementation(task=TaskKind.RECEIVE),
        performers=("clerk",),
        start_mode=Mode.MANUAL,
    )
    p.add_activity(wait)
    p.sequence("s", "wait", "e")
    package = pb.build()
    assert modes(wait) == (Mode.AUTOMATIC, Mode.AUTOMATIC)
    with Engine() as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        assert engine.work_items(iid) == []


def test_a_manual_mode_on_a_script_task_with_no_performer_runs_it_at_once() -> None:
    """Tools write StartMode Manual on script tasks that simply run: with no performer the
    work item would be offered to nobody and the instance wait for ever, silently."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s").activity("calc", script="x = x + 1", start_mode="Manual").end("e")
    p.sequence("s", "calc", "e")
    with Engine() as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("main")
        assert engine.work_items(iid) == []
        assert engine.instance(iid).data["x"] == 1
        assert engine.instance(iid).state is ProcessState.COMPLETED
