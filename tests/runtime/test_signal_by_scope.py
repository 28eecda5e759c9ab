"""A broadcast signal reaches an instance whose only catch of it is in an activity set whose
every activity Id another set repeats (TIBCO files repeat Ids across sets): what a version
takes of signals was indexed from the graphs ``activity_graph`` names, which keeps the first
graph of each Id, so that set's catch was in no index and the signal reached nobody."""

from __future__ import annotations

from tests.runtime.repeated_scopes import named_alike
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def test_a_signal_caught_only_in_a_set_of_repeated_ids_is_taken(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity_set("SetA").intermediate("WaitA", signal="a")
    p.activity_set("SetB").intermediate("WaitB", signal="b")
    p.route("split", gateway="Parallel")
    p.block("BlockA", activity_set="SetA").block("BlockB", activity_set="SetB")
    p.sequence("split", "BlockA").sequence("split", "BlockB")
    engine.deploy(named_alike(pb, "Wait"))
    iid = engine.start_process("main")
    assert engine.broadcast_signal("b") == 1
    assert engine.broadcast_signal("a") == 1
    assert engine.instance(iid).state == "closed.completed"
