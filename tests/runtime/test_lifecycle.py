"""Instance life cycle, deployment versions, data, and refused changes that change nothing."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import DeployError, IllegalStateError, NotFoundError, WorkflowError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import (
    ACTIVITY_TRANSITIONS,
    PROCESS_TRANSITIONS,
    ActivityState,
    ProcessState,
)


def _manual(pb: PackageBuilder | None = None, extra: str | None = None) -> PackageBuilder:
    pb = pb or PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("greeting", "STRING", initial="'hello'")
    p.param("amount", "IN", "INTEGER")
    p.activity("review", performer="clerk").activity("done").transition("review", "done")
    if extra:
        p.activity(extra)
    return pb


def test_state_strings_are_the_wfmc_names() -> None:
    assert [s.value for s in ProcessState] == [
        "open.not_running.not_started",
        "open.running",
        "open.not_running.suspended",
        "closed.completed",
        "closed.terminated",
        "closed.aborted",
    ]
    assert [s.value for s in ActivityState] == [s.value for s in ProcessState]


def test_closed_states_are_final() -> None:
    for table in (PROCESS_TRANSITIONS, ACTIVITY_TRANSITIONS):
        for state, targets in table.items():
            assert bool(targets) == state.is_open


def test_create_initialises_data_fields_and_parameters(engine: Engine) -> None:
    engine.deploy(_manual().build())
    iid = engine.create_instance("main", {"amount": 42})
    snap = engine.instance(iid)
    assert snap.state is ProcessState.NOT_STARTED
    assert snap.data == {"greeting": "hello", "amount": 42}
    assert snap.version == 1


def test_life_cycle_suspend_resume_complete(engine: Engine) -> None:
    iid = run(engine, _manual())
    engine.suspend(iid)
    assert engine.instance(iid).state is ProcessState.SUSPENDED
    item = engine.work_items(iid)[0]
    with pytest.raises(IllegalStateError, match="suspended"):
        engine.complete_work_item(item.id)
    engine.resume(iid)
    engine.complete_work_item(item.id, {"verdict": "ok"})
    snap = engine.instance(iid)
    assert snap.state is ProcessState.COMPLETED
    assert snap.data["verdict"] == "ok"


@pytest.mark.parametrize(
    ("action", "state_before"),
    [
        ("resume", ProcessState.RUNNING),
        ("start", ProcessState.RUNNING),
        ("suspend", ProcessState.COMPLETED),
        ("terminate", ProcessState.COMPLETED),
        ("abort", ProcessState.TERMINATED),
        ("resume", ProcessState.ABORTED),
        ("resume", ProcessState.NOT_STARTED),  # resume is for a suspended one; start() starts
    ],
)
def test_illegal_instance_changes_raise_and_change_nothing(
    engine: Engine, action: str, state_before: ProcessState
) -> None:
    if state_before is ProcessState.NOT_STARTED:
        engine.deploy(_manual().build())
        iid = engine.create_instance("main")
    else:
        iid = run(engine, _manual())
    if state_before is ProcessState.COMPLETED:
        complete_all(engine, iid)
    elif state_before is ProcessState.TERMINATED:
        engine.terminate(iid)
    elif state_before is ProcessState.ABORTED:
        engine.abort(iid)
    before = (engine.instance(iid), engine.activity_instances(iid), engine.work_items(iid))
    audit_before = len(engine.audit(iid))
    with pytest.raises(IllegalStateError) as info:
        getattr(engine, action)(iid)
    message = str(info.value)
    assert iid in message and state_before.value in message and action in message
    assert (engine.instance(iid), engine.activity_instances(iid), engine.work_items(iid)) == before
    assert len(engine.audit(iid)) == audit_before


def test_completing_a_completed_work_item_raises_and_changes_nothing(engine: Engine) -> None:
    iid = run(engine, _manual(extra="other"))
    item = engine.work_items(iid)[0]
    engine.complete_work_item(item.id)
    before = engine.instance(iid)
    with pytest.raises(IllegalStateError, match="completed"):
        engine.complete_work_item(item.id, {"greeting": "changed"})
    assert engine.instance(iid) == before


def test_unknown_ids_raise_not_found(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        engine.instance("nope")
    with pytest.raises(NotFoundError, match="deployed process"):
        engine.create_instance("nope")
    with pytest.raises(WorkflowError):
        engine.complete_work_item("wi-404")


def test_terminate_cancels_work_items_and_abort_marks_activities_aborted(engine: Engine) -> None:
    a = run(engine, _manual())
    engine.abort(a)
    assert engine.instance(a).state is ProcessState.ABORTED
    review = engine.activity_instances(a)[0]
    assert review.state is ActivityState.ABORTED
    assert engine.work_items(a) == []


def test_redeploying_identical_keeps_version_changed_makes_new(engine: Engine) -> None:
    first = engine.deploy(_manual().build())
    again = engine.deploy(_manual().build())
    assert [d.version for d in first] == [d.version for d in again] == [1]
    old = engine.create_instance("main")
    changed = engine.deploy(_manual(extra="audit").build())
    assert changed[0].version == 2
    new = engine.create_instance("main")
    assert engine.instance(old).version == 1
    assert engine.instance(new).version == 2
    assert engine.instance(engine.create_instance("main", version=1)).version == 1
    engine.start(old)  # the old version still runs as it was
    complete_all(engine, old)
    assert "audit" not in engine.trace(old)


def test_deploy_refuses_a_condition_that_does_not_parse(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a").activity("b").transition("a", "b", condition="x >")
    with pytest.raises(DeployError, match="transition"):
        engine.deploy(pb.build())
    assert engine.store.deployed_process_ids() == []


def test_runs_are_deterministic() -> None:
    def once() -> tuple[list[str], list[str]]:
        e = Engine()
        pb = PackageBuilder("pkg")
        p = pb.process("main")
        p.route("s", gateway="Parallel")
        for b in "bcde":
            p.activity(b).transition("s", b)
        iid = run(e, pb)
        return e.trace(iid), [a.id for a in e.activity_instances(iid)]

    assert once() == once()


def test_audit_trail_records_state_changes_in_order(engine: Engine) -> None:
    iid = run(engine, _manual())
    complete_all(engine, iid)
    kinds = [e.kind for e in engine.audit(iid)]
    assert kinds[0] == "instance.created"
    assert kinds[-1] == "instance.state"
    assert "work_item.completed" in kinds
    seqs = [e.seq for e in engine.audit(iid)]
    assert seqs == sorted(seqs)
