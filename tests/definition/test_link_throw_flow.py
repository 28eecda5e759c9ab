"""A transition out of a link event that throws is the error ``link-throw-flow``.

A throwing link (``CatchThrow="THROW"``) goes on at the catching link of its name. One that
also had a transition out validated clean; the engine put the link after the transition and,
with no split, always took the transition: the throw was silently lost. BPMN gives a throwing
link no way out, so validation (and deploy) refuses each such transition.
"""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, dump_xpdl, load_xpdl
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import DeployError


def _package(*, way_out: bool, throw: bool = True, catch: str = "L") -> Package:
    b = PackageBuilder("p")
    b.participant("x")
    p = b.process("main")
    p.start("s").intermediate("go", link="L", throw=throw)
    p.intermediate("land", link=catch).activity("b", performer="x").end("e2")
    p.sequence("s", "go").sequence("land", "b", "e2")
    if way_out:
        p.activity("a", performer="x").end("e").sequence("go", "a", "e")
    return b.build()


def _codes(package: Package) -> list[tuple[str, str, str | None]]:
    return [(d.severity.value, d.code, d.element_id) for d in validate(package)]


def test_a_transition_out_of_a_throwing_link_is_an_error_naming_both() -> None:
    package = _package(way_out=True)
    [finding] = [d for d in validate(package) if d.code == "link-throw-flow"]
    assert finding.severity.value == "error"
    [transition] = [t for t in package.workflow_processes[0].transitions if t.from_ == "go"]
    assert finding.element_id == transition.id
    assert f"transition {transition.id!r} in process 'main' leaves link event 'go'" in (
        finding.message
    )
    assert "throws link 'L'" in finding.message
    assert "remove the transition" in finding.message


def test_unmatched_it_is_the_one_finding_not_also_a_thread_that_ends_there() -> None:
    found = _codes(_package(way_out=True, catch="M"))
    assert [c for _, c, _ in found if c.startswith("link-")] == ["link-throw-flow"]


def test_deploy_refuses_it_rather_than_losing_the_throw() -> None:
    with (
        Engine(clock=VirtualClock()) as engine,
        pytest.raises(DeployError, match="link-throw-flow"),
    ):
        engine.deploy(_package(way_out=True))


def test_read_from_xpdl_the_finding_has_the_transition_s_line() -> None:
    package = load_xpdl(dump_xpdl(_package(way_out=True)))
    [finding] = [d for d in validate(package) if d.code == "link-throw-flow"]
    assert finding.line is not None


def test_a_throw_with_no_way_out_goes_on_at_its_catch() -> None:
    package = _package(way_out=False)
    assert [f for f in _codes(package) if f[0] == "error"] == []
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        assert engine.trace(iid) == ["s", "go", "land"]
        assert [w.activity_id for w in engine.work_items(iid)] == ["b"]


def test_a_link_that_does_not_say_it_throws_and_has_a_way_out_catches() -> None:
    # no CatchThrow: a link with a transition out is a catching link (the corpus's Apromore
    # files draw them so), not a throw with a way out
    package = _package(way_out=True, throw=False)
    assert "link-throw-flow" not in [c for _, c, _ in _codes(package)]
