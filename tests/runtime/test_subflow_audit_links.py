"""The audit trail links a subflow's instance to its caller (WfMC audit data: a record's
parent instance) and records what the subflow wrote into the caller's data (process
instance attributes assigned), as ``instance.data`` on the subflow activity. Before, the
child's ``instance.created`` named no parent, and nothing recorded the values a subflow
returned (OUT/INOUT) or the id kept in its InstanceDataField, while an application's outputs
and a script's assignments were audited."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder
from wfengine.applications.redaction import REDACTED
from wfengine.definition.model import SubFlowImplementation
from wfengine.runtime.history import InstanceCreated, InstanceDataAssigned

SECRET = {"wfengine:sensitive": "true"}


def _returning(*, caller_hides: bool = False, callee_hides: bool = False) -> PackageBuilder:
    """``main`` passes ``r`` (1) INOUT and ``code`` OUT to ``child``, which waits for a person,
    then adds 41 to ``r`` and sets ``code``."""
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.data_field("r", "INTEGER", initial="1")
    m.data_field("code", "STRING", extended=SECRET if caller_hides else None)
    m.subflow("call", process="child", args=["r", "code"]).activity("after", performer="boss")
    m.transition("call", "after")
    c = pb.process("child", params=[("r", "INOUT", "INTEGER"), ("code", "OUT", "STRING")])
    if callee_hides:
        c.data_field("code", "STRING", extended=SECRET)
    c.activity("w", performer="clerk").activity("s", script="r = r + 41; code = 'X-9'")
    c.transition("w", "s")
    return pb


def _child(engine: Engine, iid: str) -> str:
    [child] = [i.id for i in engine.instances() if i.parent_instance_id == iid]
    return child


def test_the_childs_created_event_names_its_parent_instance_and_activity(engine: Engine) -> None:
    engine.deploy(_returning().build())
    iid = engine.start_process("main")
    child = _child(engine, iid)
    [call] = engine.activity_instances(iid)
    created = engine.audit(child)[0]
    assert created.payload == InstanceCreated(1, {"r": 1}, None, iid, call.id)
    assert created.detail["parent_instance_id"] == iid
    assert created.detail["parent_activity_instance_id"] == call.id
    # an instance started on its own names none, as before
    assert "parent_instance_id" not in engine.audit(iid)[0].detail


def test_an_older_created_event_without_parents_still_reads() -> None:
    assert InstanceCreated.of({"version": 2}) == InstanceCreated(2)
    linked = InstanceCreated(2, None, None, "pi-1", "pi-1:3")
    assert InstanceCreated.of(linked.detail()) == linked


def test_the_values_a_subflow_returns_are_recorded_on_its_activity(engine: Engine) -> None:
    engine.deploy(_returning().build())
    iid = engine.start_process("main")
    [item] = engine.work_items(_child(engine, iid))
    engine.complete_work_item(item.id)
    assert engine.instance(iid).data["r"] == 42
    [written] = [e for e in engine.audit(iid) if e.kind == "instance.data"]
    assert written.activity_id == "call" and written.user is None
    expected = {"r": (1, 42), "code": (None, "X-9")}
    assert written.payload == InstanceDataAssigned(("code", "r"), expected)


def test_returned_values_of_secret_fields_are_hidden(engine: Engine) -> None:
    for caller_hides, callee_hides in ((True, False), (False, True)):
        pb = _returning(caller_hides=caller_hides, callee_hides=callee_hides)
        engine.deploy(pb.build())
        iid = engine.start_process("main")
        [item] = engine.work_items(_child(engine, iid))
        engine.complete_work_item(item.id)
        [written] = [e for e in engine.audit(iid) if e.kind == "instance.data"]
        assert written.detail["values"]["code"] == [REDACTED, REDACTED]
        assert written.detail["values"]["r"] == [1, 42]
        assert "X-9" not in str([e.detail for e in engine.audit(iid)])


def test_the_id_kept_in_an_instance_data_field_is_recorded(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.data_field("cid", "STRING")
    m.subflow("call", process="child", execution="ASYNCHR").activity("after", performer="boss")
    m.transition("call", "after")
    pb.process("child").activity("w", performer="clerk")
    package = pb.build()
    process, child_process = package.workflow_processes
    call = process.activities[0]
    assert isinstance(call.body, SubFlowImplementation)
    body = call.body.model_copy(update={"instance_data_field": "cid"})
    process = process.model_copy(
        update={"activities": (call.model_copy(update={"body": body}), *process.activities[1:])}
    )
    engine.deploy(package.model_copy(update={"workflow_processes": (process, child_process)}))
    iid = engine.start_process("main")
    child = _child(engine, iid)
    kinds = [(e.kind, e.activity_id) for e in engine.audit(iid)]
    assert kinds.index(("subflow.started", "call")) < kinds.index(("instance.data", "call"))
    [written] = [e for e in engine.audit(iid) if e.kind == "instance.data"]
    assert written.payload == InstanceDataAssigned(("cid",), {"cid": (None, child)})
