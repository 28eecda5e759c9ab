"""An ad-hoc set's completion condition that fails to evaluate is an incident on the block
running the set (as every other failed condition is), one while it is open; the set goes on
meanwhile, a retry tests the condition again, and closing the block resolves it."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, ProcessState


def _adhoc(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    m = pb.process("main")
    m.data_field("z", "INTEGER", initial="0")
    m.start("s")
    m.block("blk", activity_set="ah")
    m.activity("after", performer="clerk")
    m.end("e")
    m.sequence("s", "blk", "after", "e")
    s = m.activity_set("ah", adhoc="Parallel", completion="10 / z > 1")
    for name in ("a1", "a2", "a3"):
        s.activity(name, performer="clerk")
    engine.deploy(pb.build())
    return engine.start_process("main")


def _complete(engine: Engine, i: str, activity: str) -> None:
    (item,) = [w for w in engine.work_items(i) if w.activity_id == activity]
    engine.complete_work_item(item.id)


def _open(engine: Engine, i: str) -> list[str]:
    return sorted(w.activity_id for w in engine.work_items(i) if w.state.is_open)


def test_a_failing_completion_condition_is_one_incident_on_the_block(engine: Engine) -> None:
    i = _adhoc(engine)
    _complete(engine, i, "a1")
    (incident,) = engine.incidents(i)
    assert incident.activity_id == "blk" and incident.operation == "arm"
    assert "division by zero" in incident.message and "'ah'" in incident.message
    _complete(engine, i, "a2")  # tested again, fails again: still the one incident
    assert [x.id for x in engine.incidents(i)] == [incident.id]
    assert _open(engine, i) == ["a3"]  # the set goes on meanwhile


def test_a_retry_tests_the_condition_again(engine: Engine) -> None:
    i = _adhoc(engine)
    _complete(engine, i, "a1")
    (incident,) = engine.incidents(i)
    engine.retry_incident(incident.id)  # fails again: a new one
    (again,) = engine.incidents(i)
    assert again.id != incident.id
    engine.set_data(i, {"z": 2})
    engine.retry_incident(again.id)  # holds now: the rest is withdrawn, the block goes on
    assert engine.incidents(i) == []
    assert _open(engine, i) == ["after"]
    _complete(engine, i, "after")
    assert engine.instance(i).state is ProcessState.COMPLETED


def test_closing_the_block_resolves_the_incident(engine: Engine) -> None:
    i = _adhoc(engine)
    for name in ("a1", "a2", "a3"):
        _complete(engine, i, name)
    assert engine.incidents(i) == []  # the set ran every activity; the block closed
    assert _open(engine, i) == ["after"]
