"""Taking a kept message off an instance is progress. A Standard loop on a receive task (or a
gateway cycle through a catch) draining messages that carry no data, or the same data, changes
no instance data, and the no-progress watch compares no kept messages: 6db6602 stopped such a
loop after 1,024 rounds as "loops without progress" with the rest of its messages waiting (the
gateway form stopped after about 500 before), where it was to run until they ran out."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Activity, StandardLoop, TaskImplementation, TaskKind

TICKS = 1_500  # (past the 1,024 steps after which the watch starts looking)


def _standard_loop() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("stop", "BOOLEAN", initial="false")
    p.start("s").activity("work", performer="clerk")
    p.add_activity(
        Activity(
            id="tick",
            body=TaskImplementation(task=TaskKind.RECEIVE),
            loop=StandardLoop(condition="stop == false"),
        )
    )
    p.activity("after", performer="clerk").end("e")
    p.sequence("s", "work", "tick", "after", "e")
    return pb


def _gateway_cycle() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("stop", "BOOLEAN", initial="false")
    p.start("s").activity("work", performer="clerk")
    p.add_activity(Activity(id="tick", body=TaskImplementation(task=TaskKind.RECEIVE)))
    p.route("again", split="Exclusive")
    p.activity("after", performer="clerk").end("e")
    p.sequence("s", "work", "tick", "again")
    p.transition("again", "tick", condition="stop == false")
    p.transition("again", "after", otherwise=True)
    p.transition("after", "e")
    return pb


def _drain(engine: Engine, pb: PackageBuilder) -> str:
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    for _ in range(TICKS):
        engine.send_message("tick", instance_id=iid)
    engine.send_message("tick", {"stop": True}, instance_id=iid)
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.incidents(iid) == []
    assert engine.trace(iid).count("tick") == TICKS + 1
    assert [w.activity_id for w in engine.work_items(iid)] == ["after"]
    return iid


def test_a_standard_loop_draining_kept_messages_runs_until_they_run_out(engine: Engine) -> None:
    _drain(engine, _standard_loop())


def test_a_gateway_cycle_draining_kept_messages_runs_until_they_run_out(engine: Engine) -> None:
    _drain(engine, _gateway_cycle())
