"""A transition into or out of an event sub-process's block is ``event-subprocess-flow``.

An event sub-process (an activity set with ``TriggeredByEvent``) starts on its start event's
trigger. Its block wired into the flow validated clean, and the engine then both armed it and
ran it as a plain step where the flow reached it: the cancel handler ran with no message sent.
Validation (and so deploy) now refuses each such transition, naming it and the block.
"""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, dump_xpdl, load_xpdl
from wfengine.definition.builder import ActivitySetBuilder, ProcessBuilder
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import DeployError


def _package(*, wired: bool, nested: bool = False) -> Package:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("main")
    h = p.activity_set("cancel_handler", triggered_by_event=True)
    h.start("cancel_requested", message="cancel").activity("refund", performer="clerk")
    h.end("cancelled").sequence("cancel_requested", "refund", "cancelled")
    flow: ProcessBuilder | ActivitySetBuilder = p
    if nested:  # the block in an activity set that a block of the process runs
        p.start("s").block("outer", activity_set="body").end("e").sequence("s", "outer", "e")
        flow = p.activity_set("body")
    flow.start("s1").activity("work", performer="clerk").end("e1")
    flow.block("on_cancel", activity_set="cancel_handler")
    if wired:
        flow.sequence("s1", "work", "on_cancel", "e1")
    else:
        flow.sequence("s1", "work", "e1")
    return b.build()


def _findings(package: Package) -> list[tuple[str, str, str | None]]:
    return [(d.severity.value, d.code, d.element_id) for d in validate(package)]


@pytest.mark.parametrize("nested", [False, True], ids=["process", "activity-set"])
def test_a_transition_into_and_out_of_the_block_is_an_error_naming_both(nested: bool) -> None:
    package = _package(wired=True, nested=nested)
    found = [d for d in validate(package) if d.code == "event-subprocess-flow"]
    assert [d.severity.value for d in found] == ["error", "error"]
    into, out = found
    assert "leads into block 'on_cancel'" in into.message
    assert "leaves block 'on_cancel'" in out.message
    for finding in found:
        assert "event sub-process 'cancel_handler' (TriggeredByEvent)" in finding.message
        assert "remove the transition" in finding.message
        assert f"transition {finding.element_id!r}" in finding.message


def test_deploy_refuses_it_rather_than_running_the_handler_with_no_message_sent() -> None:
    with (
        Engine(clock=VirtualClock()) as engine,
        pytest.raises(DeployError, match="event-subprocess-flow"),
    ):
        engine.deploy(_package(wired=True))


def test_read_from_xpdl_each_finding_has_its_transition_s_line() -> None:
    found = validate(load_xpdl(dump_xpdl(_package(wired=True))))
    lines = [d.line for d in found if d.code == "event-subprocess-flow"]
    assert len(lines) == 2 and all(line is not None for line in lines)


@pytest.mark.parametrize("nested", [False, True], ids=["process", "activity-set"])
def test_a_block_beside_the_flow_is_an_event_sub_process_and_runs_on_its_message(
    nested: bool,
) -> None:
    package = _package(wired=False, nested=nested)
    assert [f for f in _findings(package) if f[0] == "error"] == []
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        assert [w.activity_id for w in engine.work_items(iid)] == ["work"]
        assert engine.send_message("cancel", instance_id=iid)
        # interrupting (the default): the work is withdrawn, the handler runs
        assert [w.activity_id for w in engine.work_items(iid)] == ["refund"]
