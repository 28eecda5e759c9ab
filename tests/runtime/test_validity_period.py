"""A process's ValidFrom / ValidTo (its ProcessHeader) say when new instances may start: by
process id, the newest deployed version valid now; none valid, or an explicit version outside
its period, is refused naming the period. Instances already running are not concerned."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.errors import IllegalStateError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _package(valid_from: str | None, valid_to: str | None, activity: str = "work") -> Package:
    pb = PackageBuilder("pkg")
    pb.process("p").activity(activity, performer="clerk")
    package = pb.build()
    (process,) = package.workflow_processes
    header = process.header.model_copy(update={"valid_from": valid_from, "valid_to": valid_to})
    return package.model_copy(
        update={"workflow_processes": (process.model_copy(update={"header": header}),)}
    )


def test_a_start_outside_the_only_versions_period_is_refused_naming_it(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.deploy(_package("2000-02-01", "2000-02-29"))  # the clock stands at 2000-01-01
    with pytest.raises(IllegalStateError, match=r"process 'p'.*valid from 2000-02-01.*not now"):
        engine.start_process("p")
    with pytest.raises(IllegalStateError, match="until 2000-03-01"):  # the 29th is in
        engine.create_instance("p")
    clock.advance(timedelta(days=31))
    iid = engine.start_process("p")
    clock.advance(timedelta(days=29))  # 2000-03-01: over; what runs goes on
    with pytest.raises(IllegalStateError):
        engine.start_process("p")
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_start_by_process_id_takes_the_newest_version_valid_now(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.deploy(_package(None, "2000-06-30T12:00:00Z", "old"))
    engine.deploy(_package("2000-07-01T00:00:00+00:00", None, "new"))  # v2, not valid yet
    first = engine.start_process("p")
    assert engine.instance(first).version == 1
    with pytest.raises(IllegalStateError, match=r"version 2: it is valid from 2000-07-01"):
        engine.start_process("p", version=2)  # an explicit version outside its period
    clock.advance(timedelta(days=200))
    assert engine.instance(engine.start_process("p")).version == 2
    with pytest.raises(IllegalStateError, match=r"version 1: it is valid until 2000-06-30"):
        engine.create_instance("p", version=1)


def test_a_period_that_is_no_date_limits_nothing_with_a_warning(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="wfengine.deploy"):
        engine.deploy(_package("next monday", None))
        assert engine.instance(engine.start_process("p")).state is ProcessState.RUNNING
    assert "ValidFrom 'next monday' is no ISO 8601 date" in caplog.text


def _windowed(package: Package, process_id: str, valid_from: str | None) -> Package:
    """``package`` with process ``process_id`` valid from ``valid_from``."""
    processes = []
    for process in package.workflow_processes:
        if process.id == process_id:
            header = process.header.model_copy(update={"valid_from": valid_from})
            process = process.model_copy(update={"header": header})
        processes.append(process)
    return package.model_copy(update={"workflow_processes": tuple(processes)})


def test_a_subflow_starts_the_called_process_only_within_its_period(
    engine: Engine, clock: VirtualClock
) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").subflow("call", process="sub")
    pb.process("sub").activity("work", performer="clerk")
    engine.deploy(_windowed(pb.build(), "sub", "2000-02-01"))  # the clock: 2000-01-01
    early = engine.start_process("main")
    (incident,) = engine.incidents(early)
    assert "subflow process 'sub'" in incident.message and "2000-02-01" in incident.message
    assert engine.instance(early).state is ProcessState.RUNNING  # held, not failed
    clock.advance(timedelta(days=31))
    engine.retry_incident(incident.id)
    (child,) = [s.id for s in engine.instance_summaries() if s.parent_instance_id == early]
    (item,) = engine.work_items(child)
    engine.complete_work_item(item.id)
    assert engine.instance(early).state is ProcessState.COMPLETED


def test_a_message_starts_the_newest_version_valid_now(engine: Engine, clock: VirtualClock) -> None:
    def ordering(activity: str) -> Package:
        pb = PackageBuilder("pkg")
        p = pb.process("orders")
        p.start("ordered", trigger="Message", message="order").activity(activity)
        p.transition("ordered", activity)
        return pb.build()

    engine.deploy(ordering("old"))
    engine.deploy(_windowed(ordering("new"), "orders", "2000-07-01"))  # v2, not valid yet
    first = engine.start_by_message("order")
    assert (engine.instance(first).version, engine.trace(first)) == (1, ["ordered", "old"])
    clock.advance(timedelta(days=200))
    later = engine.start_by_message("order")
    assert (engine.instance(later).version, engine.trace(later)) == (2, ["ordered", "new"])
