"""XPDL 2.x ``Assignments`` on an activity (issue 11, item 7): ``AssignTime="Start"`` as it
starts, ``"End"`` as it completes, before its way on is chosen; evaluated in the safe
expression language; a failure is an incident whose retry makes them again."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.definition.model import Activity, XmlNode
from wfengine.definition.namespaces import XPDL22_NS
from wfengine.errors import DeployError

X = "{" + XPDL22_NS + "}"


def _assignments(*rows: tuple[str, str, str]) -> XmlNode:
    return XmlNode(
        tag=X + "Assignments",
        children=tuple(
            XmlNode(
                tag=X + "Assignment",
                attrs=(("AssignTime", time),),
                children=(
                    XmlNode(tag=X + "Target", children=(XmlNode(tag=X + "Expression", text=t),)),
                    XmlNode(tag=X + "Expression", text=e),
                ),
            )
            for time, t, e in rows
        ),
    )


def _process(*rows: tuple[str, str, str], performer: bool = False) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="1")
    p.data_field("m", "INTEGER", initial="0")
    p.data_field("d", "INTEGER", initial="0")
    p.add_activity(
        Activity(id="a", performers=("clerk",) if performer else (), extras=(_assignments(*rows),))
    )
    p.activity("big").activity("small")
    p.transition("a", "big", condition="m > 20").transition("a", "small", otherwise=True)
    return pb


def test_start_and_end_assignments(engine: Engine) -> None:
    pb = _process(("Start", "n", "n + 10"), ("End", "m", "n * 2"), performer=True)
    iid = run(engine, pb)
    assert engine.instance(iid).data["n"] == 11  # made as it started
    assert engine.instance(iid).data["m"] == 0
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id, {"n": 12})
    assert engine.instance(iid).data["m"] == 24  # made as it completed, before the split
    assert engine.trace(iid) == ["a", "big"]
    scripts = [e.detail for e in engine.audit(iid) if e.kind == "activity.script"]
    assert scripts == [{"n": 11}, {"m": 24}]


def test_a_failing_assignment_is_an_incident_and_its_retry_makes_it(engine: Engine) -> None:
    iid = run(engine, _process(("Start", "m", "100 / d")))
    [incident] = engine.incidents(iid)
    assert incident.operation == "assign" and incident.activity_id == "a"
    engine.set_data(iid, {"d": 4})
    engine.retry_incident(incident.id)
    assert engine.instance(iid).data["m"] == 25
    assert engine.trace(iid) == ["a", "big"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_target_that_is_no_field_name_refuses_the_deploy() -> None:
    from wfengine.runtime.compiler import compile_process

    package = _process(("End", "m + 1", "2")).build()
    with pytest.raises(DeployError, match="Target 'm \\+ 1' is no data field name"):
        compile_process(package, package.workflow_processes[0])


def test_assignments_read_from_xpdl() -> None:
    from wfengine import dump_xpdl, load_xpdl

    pb = _process(("Start", "n", "n + 10"), ("End", "m", "n * 2"))
    package = load_xpdl(dump_xpdl(pb.build()))
    engine = Engine()
    engine.deploy(package)
    iid = engine.start_process("main")
    assert engine.instance(iid).data["m"] == 22


def test_a_reference_activity_runs_as_the_activity_it_names(engine: Engine) -> None:
    from wfengine.definition.model import ReferenceImplementation

    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="1")
    p.application("inc", params=[("n", "INOUT", "INTEGER")])
    engine.applications.register("inc", lambda n: {"n": n + 1})
    p.activity("bump", tool="inc", args=["n"]).activity("check", performer="clerk")
    p.add_activity(Activity(id="again", body=ReferenceImplementation(activity_id="bump")))
    p.add_activity(Activity(id="recheck", body=ReferenceImplementation(activity_id="check")))
    p.sequence("bump", "again", "check", "recheck")
    iid = run(engine, pb)
    assert engine.instance(iid).data["n"] == 3  # 'again' called the application too
    engine.complete_work_item(engine.work_items(iid)[0].id)
    [item] = engine.work_items(iid)
    assert item.activity_id == "recheck" and item.performers == ("clerk",)


def test_a_reference_that_goes_round_is_refused_by_validation_and_deploy() -> None:
    from wfengine import validate
    from wfengine.definition.model import ReferenceImplementation
    from wfengine.runtime.compiler import compile_process

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.add_activity(Activity(id="a", body=ReferenceImplementation(activity_id="b")))
    p.add_activity(Activity(id="b", body=ReferenceImplementation(activity_id="a")))
    p.add_activity(Activity(id="c", body=ReferenceImplementation(activity_id="zz")))
    p.sequence("a", "b", "c")
    package = pb.build()
    found = [d for d in validate(package) if d.code == "reference-activity"]
    assert [d.element_id for d in found] == ["a", "b", "c"]
    assert "a -> b -> a" in found[0].message and "'zz'" in found[2].message
    with pytest.raises(DeployError, match="circle"):
        compile_process(package, package.workflow_processes[0])
