"""A called process's step whose id the main process uses too gets a row of its own in the
report (``PROCESS/ACTIVITY``), with its own count and queue; ids no other process repeats
stay as they are."""

from __future__ import annotations

from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import simulate


def _both_check() -> Package:
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.participant("clerk")
    m.activity("check", performer="clerk")
    m.subflow("call_review", process="review")
    m.sequence("check", "call_review")
    r = pb.process("review")
    r.participant("reviewer")
    r.activity("check", performer="reviewer")
    r.activity("file", performer="reviewer")
    r.sequence("check", "file")
    return pb.build()


def test_a_called_steps_repeated_id_is_counted_in_a_row_of_its_own() -> None:
    scn = scenario(
        process="main",
        arrivals={"every": "10m"},
        activities={"file": "1m"},
        # the clerk works round the clock, the reviewer office hours: only the called
        # process's check waits (from midnight to nine)
        resources={"clerk": 1, "reviewer": {"count": 1, "calendar": "office"}},
        calendars={
            "office": {"days": ["mon", "tue", "wed", "thu", "fri"], "hours": ["09:00-17:00"]}
        },
    )
    report = simulate(_both_check(), scn, instances=10)
    rows = report.activities
    assert rows["check"].count.mean == 10
    assert rows["review/check"].count.mean == 10
    assert rows["file"].count.mean == 10  # unique: its plain id
    assert "review/file" not in rows
    # each row has its own waiting and queue
    assert rows["check"].waiting.mean == 0
    assert rows["check"].queue.mean == 0
    assert rows["review/check"].waiting.mean is not None and rows["review/check"].waiting.mean > 0
    assert rows["review/check"].queue.mean is not None and rows["review/check"].queue.mean > 0
    summary = report.as_dict()["summary"]["activities"]
    assert summary["review/check"]["count"]["mean"] == 10
    assert "review/check" in report.text()
