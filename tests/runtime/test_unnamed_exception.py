"""An EXCEPTION transition that names no exception (``<Condition Type="EXCEPTION"/>``, as
JaWE, Shark and the WfMC's own XPDL 1.0 sample write it) is taken on any failure, as a
DEFAULTEXCEPTION is: no name could ever match it, so the failure was an incident though the
modeller drew a way for it."""

from __future__ import annotations

from typing import NoReturn

from wfengine import Engine, PackageBuilder, ProcessState


def _package(*, default_too: bool = False, named: str | None = None) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.application("charge", params=[("amount", "IN", "INTEGER")])
    p = pb.process("p")
    p.data_field("amount", "INTEGER", initial="5")
    p.activity("call", tool="charge", args=["amount"])
    p.activity("ok").transition("call", "ok")
    p.activity("any_failure").transition("call", "any_failure", exception="")
    if default_too:
        p.activity("fallback").transition("call", "fallback", default_exception=True)
    if named:
        p.activity("known").transition("call", "known", exception=named)
    return pb


def _down(amount: int) -> NoReturn:
    raise RuntimeError("backend down")


def test_a_failure_takes_the_exception_transition_that_names_none(engine: Engine) -> None:
    engine.deploy(_package().build())
    engine.applications.register("charge", _down)
    iid = engine.start_process("p")
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.incidents(iid) == []
    assert "any_failure" in engine.trace(iid) and "ok" not in engine.trace(iid)


def test_a_named_exception_and_a_default_one_come_first(engine: Engine) -> None:
    engine.deploy(_package(named="RuntimeError").build())
    engine.applications.register("charge", _down)
    assert "known" in engine.trace(engine.start_process("p"))
    engine.deploy(_package(default_too=True).build())
    assert "fallback" in engine.trace(engine.start_process("p"))
