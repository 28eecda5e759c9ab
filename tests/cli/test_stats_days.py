"""``wfengine stats`` text gives a duration of two days or more in days: work that waited
for months read ``wait p50 16915.8h``, a figure nobody reads at a glance (``704.8d``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.audit.metrics import short_duration


def test_a_long_duration_reads_in_days() -> None:
    assert [short_duration(s) for s in (59, 600, 3 * 3600, 47.9 * 3600)] == [
        "59s",
        "10m",
        "3.0h",
        "47.9h",
    ]
    assert short_duration(48 * 3600) == "2.0d"
    assert short_duration(704.8 * 86400) == "704.8d"


def test_stats_prints_days(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    pb.process("claim").activity("enter", performer="clerk")
    clock = VirtualClock(datetime(2024, 3, 4, 9, tzinfo=UTC))
    with Engine(clock=clock, db_url=url) as e:
        e.deploy(pb.build())
        iid = e.start_process("claim")
        clock.advance(timedelta(days=3))
        (item,) = e.work_items(iid)
        e.claim_work_item(item.id, "clerk")
        e.start_work_item(item.id, "clerk")
        clock.advance(timedelta(hours=50))
        e.complete_work_item(item.id, user="clerk")
    out = cli("stats", "--db", url)
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0] == "claim: 1 started, 1 completed, 0 open; median cycle time 5.1d"
    assert lines[2].split() == ["enter", "1", "3.0d", "3.0d", "2.1d", "0%"]
