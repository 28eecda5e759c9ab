"""Work offered to nobody (a role the organisation gives no members, a manual activity with no
performer) waits in its activity's queue: the activity keeps its row in the report (text and
``--json`` summary) and the end note names it. Before, it had no row, no queue, and the note
"10 work item(s) offered to nobody" named no activity (QA F_sim 5). Such a scenario runs
(reported, not refused): the pile-up is what it shows, and whom a performer reaches is the
directory's answer at run time."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, simulate

_ORG = (
    "users:\n  - {id: ann, roles: [clerk]}\n  - {id: bob, roles: [clerk]}\n"
    "roles:\n  - {id: clerk}\n  - {id: manager}\n"
)


def _leave(approver: str | None) -> Package:
    pb = PackageBuilder("leave")
    pb.participant("clerk")
    pb.participant("manager")
    p = pb.process("request")
    p.start("s")
    p.activity("submit", performer="clerk")
    if approver is None:  # a manual activity with no performer
        p.activity("approve", start_mode="Manual", finish_mode="Manual")
    else:
        p.activity("approve", performer=approver)
    p.end("e")
    p.sequence("s", "submit", "approve", "e")
    return pb.build()


def _check(report_text: str, summary: dict[str, object], runs: list[dict[str, object]]) -> None:
    assert "approve" in summary
    assert runs[0]["unassigned"] == 4
    assert runs[0]["unassigned_activities"] == ["approve"]
    row = next(line for line in report_text.splitlines() if line.startswith("approve "))
    assert row.split()[1:4] == ["0", "-", "-"]
    assert "4 work item(s) offered to nobody, waiting at approve" in report_text


def test_a_role_with_no_members_keeps_its_row_and_is_named(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(_ORG)
    (tmp_path / "s.yaml").write_text(
        "arrivals: {every: 20m}\norganisation: org.yaml\n"
        "activities: {submit: {duration: 5m}, approve: {duration: 30m}}\n"
    )
    report = simulate(_leave("manager"), Scenario.load(tmp_path / "s.yaml"), instances=4)
    data = report.as_dict()
    _check(report.text(), data["summary"]["activities"], data["runs"])
    queue = report.replications[0].queues["approve"]
    assert queue.peak == 4  # the items wait, one more with each case
    assert report.activities["approve"].queue.mean == pytest.approx(queue.mean)


def test_a_manual_activity_with_no_performer_likewise() -> None:
    pkg = _leave(None)
    scn = scenario(arrivals={"every": "20m"}, activities={"submit": "5m"})
    report = simulate(pkg, scn, instances=4)
    data = report.as_dict()
    _check(report.text(), data["summary"]["activities"], data["runs"])
