"""``wfengine status ID`` shows what the case waits for in time: each pending timer of the
instance (a timer event, a deadline, a reminder, an escalation) with its kind, activity, work
item where there is one, and due time; in the text a ``timers:`` section after the open work,
in ``--json`` the ``timers`` key. Before, a case waiting on a timer showed only
``open.running``, and when it would move on was in ``run --json`` alone. The brief status
(for customers) shows none of it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder, VirtualClock, deadline

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def _database(tmp_path: Path) -> tuple[str, str]:
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("p")
    p.start("s").route("fork", split="Parallel").intermediate("wait", timer="PT10M").end("e1")
    timing = {"wfengine:reminder-after": "PT30M", "wfengine:escalate-after": "PT1H"}
    p.activity("review", performer="clerk", extended=timing, deadlines=[deadline("PT45S", "late")])
    p.end("e2").sequence("s", "fork", "wait", "e1").sequence("fork", "review", "e2")
    with Engine(clock=VirtualClock(T0), db_url=url) as e:
        e.deploy(pb.build())
        iid = e.start_process("p")
    return url, iid


def test_status_lists_what_the_case_waits_for_in_time(tmp_path: Path) -> None:
    url, iid = _database(tmp_path)
    (item,) = json.loads(cli("status", iid, "--db", url, "--json").stdout)["open_work"]
    wi = item["id"]
    out = cli("status", iid, "--db", url)
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    start = lines.index("  timers:")
    assert lines[start - 1].startswith(f"  waiting: {wi} review ")  # after the open work
    assert lines[start + 1 : start + 5] == [
        "    deadline review due 2026-03-02T09:00:45+00:00",
        "    timer_event wait due 2026-03-02T09:10:00+00:00",
        f"    reminder review {wi} due 2026-03-02T09:30:00+00:00",
        f"    escalation review {wi} due 2026-03-02T10:00:00+00:00",
    ]

    as_json = json.loads(cli("status", iid, "--db", url, "--json").stdout)
    at = [(T0 + timedelta(seconds=s)).isoformat() for s in (45, 600, 1800, 3600)]
    assert as_json["timers"] == [
        {"kind": "deadline", "activity_id": "review", "work_item_id": None, "due": at[0]},
        {"kind": "timer_event", "activity_id": "wait", "work_item_id": None, "due": at[1]},
        {"kind": "reminder", "activity_id": "review", "work_item_id": wi, "due": at[2]},
        {"kind": "escalation", "activity_id": "review", "work_item_id": wi, "due": at[3]},
    ]


def test_the_brief_status_shows_no_timers(tmp_path: Path) -> None:
    url, iid = _database(tmp_path)
    brief = cli("status", iid, "--db", url, "--brief")
    assert "timer" not in brief.stdout and "due" not in brief.stdout
    assert "timers" not in json.loads(cli("status", iid, "--db", url, "--brief", "--json").stdout)


def test_the_open_work_is_due_to_the_second(tmp_path: Path) -> None:
    """As ``worklist`` prints it (before, cut to the minute: ``due 2026-03-02T09:00+00:00``
    for a deadline at 09:00:45, which could show OVERDUE next to a time that read as now)."""
    url, iid = _database(tmp_path)
    lines = cli("status", iid, "--db", url).stdout.splitlines()
    (waiting,) = [line for line in lines if line.startswith("  waiting: ")]
    assert " due 2026-03-02T09:00:45+00:00" in waiting  # (OVERDUE after it: the real clock)
