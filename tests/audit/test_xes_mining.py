"""The XES export is a log process-mining tools read: pm4py loads it and discovers a model
whose activities are the definition's."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.audit import write_xes

pm4py = pytest.importorskip("pm4py", reason="pm4py (a dev dependency) is not installed")


# pm4py's own hint that an optional faster reader exists: nothing about wfengine's export
@pytest.mark.filterwarnings("ignore:Install the optional requirement `r4pm`")
def test_pm4py_discovers_the_definitions_activities(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("claim")
    p.data_field("big", "BOOLEAN", initial="false")
    p.activity("register", split="Exclusive")
    p.activity("quick_check").activity("expert_review", split="Parallel")
    p.activity("inspect").activity("estimate")
    p.activity("decide", join="Exclusive")
    p.route("merge", gateway="Parallel")
    p.transition("register", "expert_review", condition="big")
    p.transition("register", "quick_check", otherwise=True)
    p.transition("expert_review", "inspect").transition("expert_review", "estimate")
    p.transition("inspect", "merge").transition("estimate", "merge")
    p.transition("merge", "decide").transition("quick_check", "decide")
    log = tmp_path / "claims.xes"
    with Engine() as e:
        e.deploy(pb.build())
        for n in range(12):
            e.start_process("claim", {"big": n % 3 == 0})
        with log.open("wb") as out:
            written = write_xes(e, out, process_id="claim")
    assert written > 0
    frame = pm4py.read_xes(str(log))
    completed = frame[frame["lifecycle:transition"] == "complete"]
    assert completed["case:concept:name"].nunique() == 12
    net, _, _ = pm4py.discover_petri_net_inductive(completed)
    labels = {t.label for t in net.transitions if t.label is not None}
    assert labels == {
        "register",
        "quick_check",
        "expert_review",
        "inspect",
        "estimate",
        "merge",
        "decide",
    }
