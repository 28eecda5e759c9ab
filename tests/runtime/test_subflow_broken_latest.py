"""A subflow calling a process whose latest stored version no longer compiles (stored by an
earlier wfengine) fails that subflow alone, with an incident on the subflow activity: the
caller's own commands (completing its earlier work item, starting another caller) go on."""

from __future__ import annotations

from tests.runtime.conftest import rewrite_stored
from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package


def _sub() -> Package:
    pb = PackageBuilder("desk")
    pb.process("desk").activity(
        "answer",
        performer="clerk",
        extended={"wfengine:reminder-after": "PT5M", "wfengine:reminder-every": "PT5M"},
    )
    return pb.build()


def _callers() -> Package:
    pb = PackageBuilder("main")
    p = pb.process("parent")
    p.start("s").activity("first", performer="clerk")
    p.subflow("call", process="desk", package_ref="desk").end("e")
    p.sequence("s", "first", "call", "e")
    q = pb.process("direct")
    q.start("s").subflow("call", process="desk", package_ref="desk").end("e")
    q.sequence("s", "call", "e")
    return pb.build()


def test_a_subflow_to_a_version_that_no_longer_compiles_is_an_incident(db_url: str) -> None:
    with Engine(db_url=db_url) as e:
        e.deploy(_sub())
        e.deploy(_callers(), check_bindings=False)
        parent = e.start_process("parent")
    # a stored process this wfengine cannot compile (a reminder of no duration at all)
    rewrite_stored(db_url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')
    with Engine(db_url=db_url) as e:
        (item,) = e.work_items(parent)
        e.complete_work_item(item.id)  # the caller's own item completes
        direct = e.start_process("direct")  # another caller starts
        for iid in (parent, direct):
            (incident,) = e.incidents(iid)
            assert incident.activity_id == "call"
            assert incident.operation == "run"
            assert "subflow process 'desk' cannot be started" in incident.message
            assert "does not compile" in incident.message
        assert {s.process_id for s in e.instance_summaries()} == {"parent", "direct"}
