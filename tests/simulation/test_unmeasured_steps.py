"""An activity whose waiting and processing were not measured (a synchronous deadline
interrupts every one of its instances: ``wfengine stats`` measures no interrupted instance)
keeps its row in the report, with "-" for what was not measured. Before, the report's quiet
test read "not measured" as 0: the activity was dropped from the table as one that "took no
time and kept nobody waiting", and from ``--compare``'s rows, although its clerk was busy a
quarter of the time."""

from __future__ import annotations

from tests.simulation.helpers import scenario

from wfengine.definition.build_arguments import deadline
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import compare, simulate


def _interrupted() -> Package:
    """route (automatic) -> handle, which a synchronous deadline always interrupts."""
    pb = PackageBuilder("dl")
    p = pb.process("main")
    p.participant("clerk")
    p.participant("manager")
    p.activity("route")
    p.activity(
        "handle", performer="clerk", deadlines=[deadline("PT1H", "late", execution="SYNCHR")]
    )
    p.activity("escalate", performer="manager")
    p.activity("finish", performer="clerk")
    p.transition("route", "handle")
    p.transition("handle", "finish")
    p.transition("handle", "escalate", exception="late")
    return pb.build()


SCENARIO = {
    "arrivals": {"every": "4h"},
    "activities": {"handle": "90m", "escalate": "10m", "finish": "5m"},
}


def test_an_always_interrupted_activity_keeps_its_row_with_dashes() -> None:
    report = simulate(_interrupted(), scenario(**SCENARIO), instances=20, seed=1)
    handle = report.activities["handle"]
    assert handle.waiting.mean is None and handle.processing.mean is None  # (not measured)
    lines = report.text().splitlines()
    row = next(line for line in lines if line.startswith("handle "))
    assert row.split() == ["handle", "20", "-", "-", "0.00"]
    # the automatic step that took no time is still summed up as quiet, and only it
    assert "(1 more activities took no time and kept nobody waiting)" in lines
    assert not any(line.startswith("route ") for line in lines)


def test_compare_keeps_the_unmeasured_waiting_row() -> None:
    variant = (_interrupted(), scenario(**SCENARIO))
    rows = {name: (a, b) for name, a, b, _ in compare(variant, variant, instances=10).rows()}
    assert rows["handle waiting"][0].mean is None and rows["handle waiting"][1].mean is None
    assert "route waiting" not in rows  # (measured: nobody waited for it)
