"""A deploy that raises (a package of one refused process, or ``strict=True``) is a refused
deploy all the same: the older stored version does not start by its id in place of the
definition the host tried to deploy, by a start or by a subflow, until a later deploy of it
succeeds."""

from __future__ import annotations

import logging

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package
from wfengine.errors import DeployError


def _package(*, broken: bool = False, helper: bool = False, pid: str = "order") -> Package:
    pb = PackageBuilder("shop" if pid == "order" else "subs")
    pb.participant("clerk")
    p = pb.process(pid)
    p.data_field("amount", "FLOAT", initial="0.0")
    p.start("s").activity("review", performer="clerk").end("e").sequence("s", "review", "e")
    if broken:  # a validation error: a condition that does not parse
        p.route("gw").activity("other").transition("review", "gw")
        p.transition("gw", "other", condition="amount >").transition("gw", "e", otherwise=True)
    if helper:
        h = pb.process("helper")
        h.start("hs").end("he").sequence("hs", "he")
    return pb.build()


@pytest.fixture(autouse=True)
def _quiet_deploys(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="wfengine.deploy")


@pytest.mark.parametrize(
    ("helper", "strict"), [(False, False), (True, True)], ids=["alone", "strict"]
)
def test_a_deploy_that_raises_still_refuses_the_older_version(
    engine: Engine, helper: bool, strict: bool
) -> None:
    engine.deploy(_package(helper=helper))
    with pytest.raises(DeployError, match="'order' cannot be deployed"):
        engine.deploy(_package(broken=True, helper=helper), strict=strict)
    assert engine.refusal("order") is not None
    with pytest.raises(DeployError, match="the stored version 1 is not started in its place"):
        engine.start_process("order")
    assert engine.instance_summaries() == []
    assert engine.instance(engine.start_process("order", version=1)).version == 1
    engine.deploy(_package(helper=helper))  # a later deploy that succeeds ends the refusal
    assert engine.refusal("order") is None
    assert engine.instance(engine.start_process("order")).version == 1


def test_a_subflow_to_a_process_whose_deploy_raised_is_an_incident(engine: Engine) -> None:
    engine.deploy(_package(pid="sub"))
    pb = PackageBuilder("main")
    pb.process("parent").start("s").subflow("call", process="sub", package_ref="subs").end(
        "e"
    ).sequence("s", "call", "e")
    engine.deploy(pb.build(), check_bindings=False)
    with pytest.raises(DeployError):
        engine.deploy(_package(pid="sub", broken=True))
    iid = engine.start_process("parent")
    [incident] = engine.incidents(iid)
    assert "subflow process 'sub' was refused at its last deploy" in incident.message
    assert [s.process_id for s in engine.instance_summaries()] == ["parent"]
