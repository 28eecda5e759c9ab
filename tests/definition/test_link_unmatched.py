"""A throwing link event whose name no catching link carries is reported (``link-unmatched``).

A typo ('Contiue' for 'Continue') once passed validation with no finding, and the instance
completed at the throw, silently skipping the work the link was drawn to lead to.
"""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.model import Package


def _package(thrown: str) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("r")
    p.start("s").activity("a").intermediate("to_page2", link=thrown, throw=True)
    p.sequence("s", "a", "to_page2")
    p.intermediate("page2", link="Continue").activity("approve", performer="r")
    p.sequence("page2", "approve")
    return pb.build()


def test_a_throw_no_catch_answers_is_a_warning_naming_the_link() -> None:
    [finding] = [d for d in validate(_package("Contiue")) if d.code == "link-unmatched"]
    assert finding.severity.name == "WARNING" and finding.element_id == "to_page2"
    assert "'Contiue'" in finding.message and "'Continue'" in finding.message
    # an exit to another page or pool, as Apromore writes one, still deploys and runs
    engine = Engine()
    engine.deploy(_package("Contiue"))
    iid = engine.start_process("main")
    assert engine.trace(iid) == ["s", "a", "to_page2"]


def test_a_throw_its_catch_answers_passes_and_runs_on() -> None:
    package = _package("Continue")
    assert [d for d in validate(package) if d.code.startswith("link-")] == []
    engine = Engine()
    engine.deploy(package)
    iid = engine.start_process("main")
    assert [w.activity_id for w in engine.work_items(iid)] == ["approve"]
