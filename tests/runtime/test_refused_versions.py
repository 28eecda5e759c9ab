"""A deploy that refuses a new version of a process (its validation errors) does not leave
the older stored version to start in its place: starting the process by id raises the
refusal until a later deploy of it succeeds. Asked by number, a stored version still starts;
the refusal is the deploying engine's own (a refused deploy stores nothing)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package
from wfengine.errors import DeployError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.states import ProcessState


def _package(*, broken: bool = False, step: str = "review") -> Package:
    pb = PackageBuilder("shop")
    pb.participant("clerk")
    p = pb.process("order")
    p.data_field("amount", "FLOAT", initial="0.0")
    p.start("s").start("by_mail", trigger="Message", message="new_order")
    p.activity(step, performer="clerk").end("e").sequence("s", step, "e")
    p.transition("by_mail", step)
    if broken:  # a validation error: a condition that does not parse
        p.route("gw").activity("other").transition(step, "gw")
        p.transition("gw", "other", condition="amount >").transition("gw", "e", otherwise=True)
    helper = pb.process("helper")  # fine: the package deploys, 'order' alone is refused
    helper.start("hs").end("he").sequence("hs", "he")
    return pb.build()


@pytest.fixture(autouse=True)
def _quiet_deploys(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="wfengine.deploy")


def test_a_refused_new_version_is_not_started_in_place_of_the_old_one(engine: Engine) -> None:
    engine.deploy(_package())
    running = engine.start_process("order")
    deployed = engine.deploy(_package(broken=True))
    assert [d.process_id for d in deployed] == ["helper"]
    for start in (
        lambda: engine.start_process("order"),
        lambda: engine.create_instance("order"),
        lambda: engine.start_by_message("new_order"),
    ):
        with pytest.raises(DeployError, match="'order' cannot be deployed") as refused:
            start()
        assert "the stored version 1 is not started in its place" in str(refused.value)
    assert len(engine.instance_summaries()) == 1  # nothing started in its place
    # asked by number, version 1 starts; the instances running on it go on
    assert engine.instance(engine.start_process("order", version=1)).version == 1
    [item] = [w for w in engine.work_items() if w.instance_id == running]
    engine.complete_work_item(item.id)
    assert engine.instance(running).state is ProcessState.COMPLETED


def test_a_later_deploy_that_succeeds_ends_the_refusal(engine: Engine) -> None:
    engine.deploy(_package())
    engine.deploy(_package(broken=True))
    [kept] = [d for d in engine.deploy(_package()) if d.process_id == "order"]
    assert kept.version == 1  # the same definition keeps its version
    assert engine.refusal("order") is None
    assert engine.instance(engine.start_process("order")).version == 1
    engine.deploy(_package(broken=True))
    engine.deploy(_package(step="check"))
    assert engine.instance(engine.start_process("order")).version == 2


def test_the_refusal_is_the_deploying_engines_own(tmp_path: Path) -> None:
    # a refused deploy writes nothing: another engine on the database (or this program run
    # again) knows only the stored versions, and starts the newest valid one
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    clock = VirtualClock()
    with Engine(db_url=url, clock=clock) as deployer, Engine(db_url=url, clock=clock) as other:
        deployer.deploy(_package())
        deployer.deploy(_package(broken=True))
        with pytest.raises(DeployError):
            deployer.start_process("order")
        assert other.refusal("order") is None
        assert other.instance(other.start_process("order")).version == 1


def test_a_subflow_whose_process_was_refused_is_an_incident_not_the_old_version(
    engine: Engine,
) -> None:
    """A subflow started the older stored version though a start by id refuses it."""
    engine.deploy(_package())
    broken = _package(broken=True)
    pb = PackageBuilder("shop")  # the same package, its helper now calling 'order'
    pb.process("helper").subflow("call", process="order")
    caller = pb.build().process("helper")
    processes = [caller if w.id == "helper" else w for w in broken.workflow_processes]
    engine.deploy(broken.model_copy(update={"workflow_processes": tuple(processes)}))
    iid = engine.start_process("helper")
    [incident] = engine.incidents(iid)
    assert "subflow process 'order' was refused at its last deploy" in incident.message
    assert [s.process_id for s in engine.instance_summaries()] == ["helper"]
