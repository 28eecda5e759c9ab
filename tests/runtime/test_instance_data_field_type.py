"""A SubFlow's ``InstanceDataField`` naming a field whose type cannot hold the called
instance's id (a text): validation said nothing and the id was written into the INTEGER or
BOOLEAN field unchecked, so the next completion carrying the caller's data back was refused.
Now it is a validation error (``instance-data-field``, so deploy refuses it), and a version
stored before stops at the subflow with an incident, nothing started and nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.model import (
    BasicType,
    BasicTypeKind,
    EnumerationType,
    Package,
    RecordType,
    SubFlowImplementation,
)
from wfengine.errors import DeployError
from wfengine.runtime.deployment import deployed_version


def _keeping_id(field_type: Any, *, is_array: bool = False, keeps: str = "cid") -> Package:
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.data_field("cid", field_type, is_array=is_array, name="case_ref")
    m.subflow("call", process="child", execution="ASYNCHR").activity("after", performer="boss")
    m.transition("call", "after")
    pb.process("child").activity("w", performer="clerk")
    package = pb.build()
    process, child = package.workflow_processes
    call = process.activities[0]
    assert isinstance(call.body, SubFlowImplementation)
    body = call.body.model_copy(update={"instance_data_field": keeps})
    activities = (call.model_copy(update={"body": body}), *process.activities[1:])
    process = process.model_copy(update={"activities": activities})
    return package.model_copy(update={"workflow_processes": (process, child)})


def _findings(package: Package) -> list[tuple[str, str]]:
    return [
        (d.severity.value, d.message) for d in validate(package) if d.code == "instance-data-field"
    ]


@pytest.mark.parametrize(
    ("field_type", "is_array", "shown"),
    [
        ("INTEGER", False, "INTEGER"),
        ("BOOLEAN", False, "BOOLEAN"),
        ("DATETIME", False, "DATETIME"),
        ("STRING", True, "a list"),
        (EnumerationType(values=("a", "b")), False, "an enumeration"),
    ],
)
def test_a_field_that_holds_no_text_is_an_error(
    field_type: Any, is_array: bool, shown: str
) -> None:
    [(severity, message)] = _findings(_keeping_id(field_type, is_array=is_array))
    assert severity == "error" and f"'cid' (InstanceDataField), which is {shown}" in message
    # named by the field's Name, which stands for it, it is the same field
    assert len(_findings(_keeping_id(field_type, is_array=is_array, keeps="case_ref"))) == 1


@pytest.mark.parametrize(
    "field_type",
    [
        "STRING",
        "PERFORMER",
        "REFERENCE",
        BasicType(type=BasicTypeKind.STRING),
        RecordType(members=()),  # values the engine does not check: not judged
    ],
)
def test_a_text_field_or_an_unchecked_one_takes_the_id(field_type: Any) -> None:
    assert _findings(_keeping_id(field_type)) == []


def test_deploy_refuses_it_as_validation_says(engine: Engine) -> None:
    engine.deploy(_keeping_id("INTEGER"))  # child deploys; main is refused
    with pytest.raises(DeployError, match="instance-data-field"):
        engine.start_process("main")


@pytest.mark.parametrize("field_type", ["INTEGER", "BOOLEAN"])
def test_a_version_stored_before_stops_at_the_subflow_with_nothing_written(
    engine: Engine, field_type: str
) -> None:
    package = _keeping_id(field_type)
    # as an earlier wfengine stored it (it did not validate this)
    engine.store.add_deployments(
        [deployed_version(package, p, 1) for p in package.workflow_processes]
    )
    iid = engine.start_process("main")
    [incident] = engine.incidents()
    assert incident.instance_id == iid and incident.activity_id == "call"
    assert "'cid' (InstanceDataField), which is " + field_type in incident.message
    assert engine.instance(iid).data["cid"] is None
    assert [i.id for i in engine.instances()] == [iid]  # no child was started
    assert engine.work_items(iid) == []


def test_a_string_field_keeps_the_id(engine: Engine) -> None:
    engine.deploy(_keeping_id("STRING"))
    iid = engine.start_process("main")
    [child] = [i for i in engine.instances() if i.parent_instance_id == iid]
    assert engine.instance(iid).data["cid"] == child.id
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id, {"cid": child.id})  # the same data back: taken
