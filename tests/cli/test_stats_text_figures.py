"""``wfengine stats`` text shows every figure ``--help`` and the README list: after the lines
it always printed (unchanged: scripts read them), the throughput, the work waiting now and
per user, role and unit the work items completed and held. Before, only ``--json`` had them.
An id holding a line break is escaped, not printed as a row of its own."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock

T0 = datetime(2024, 3, 4, 9, tzinfo=UTC)


def _database(tmp_path: Path) -> str:
    """Two cases: one entered by alice and booked by dan (completed), one waiting at enter,
    claimed by bob."""
    url = sqlite_url(tmp_path)
    org = tmp_path / "org.json"
    org.write_text(json.dumps(ORG))
    loaded = cli("org", "load", str(org), "--db", url)  # the organisation stats reads
    assert loaded.exit_code == 0, loaded.output
    pb = PackageBuilder("pkg")
    p = pb.process("claim")
    p.activity("enter", performer="clerk").activity("book", performer="accountant")
    p.transition("enter", "book")
    clock = VirtualClock(T0)
    with Engine(clock=clock, db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.deploy(pb.build())
        first, second = e.start_process("claim"), e.start_process("claim")
        clock.advance(timedelta(hours=2))
        (item,) = e.work_items(first)
        e.complete_work_item(item.id, user="alice")
        (item,) = e.work_items(first)
        e.complete_work_item(item.id, user="dan")
        (item,) = e.work_items(second)
        e.claim_work_item(item.id, "bob")
    return url


def test_text_shows_throughput_waiting_and_people(tmp_path: Path) -> None:
    out = cli("stats", "--db", _database(tmp_path))
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0] == "claim: 2 started, 1 completed, 1 open; median cycle time 2.0h"
    assert lines[1].split()[::2] == ["ACTIVITY", "WAIT", "WAIT", "WORK", "OVERDUE"]
    assert lines[4] == "  bottlenecks: enter"  # the lines scripts read come first
    rest = lines[5:]
    assert rest[0] == "  throughput: 12 completed per day"  # one case in the 2 h it took
    assert rest[1].startswith("  waiting now: enter 1 (wait p50 ")
    assert [line.split() for line in rest[2:]] == [
        ["USER", "COMPLETED", "HOLDING"],
        ["alice", "1", "0"],
        ["bob", "0", "1"],
        ["dan", "1", "0"],
        ["ROLE/UNIT", "COMPLETED", "HOLDING"],
        ["role", "accountant", "1", "0"],
        ["role", "clerk", "1", "1"],
        ["unit", "accounts", "1", "0"],
        ["unit", "management", "1", "1"],
        ["unit", "sales", "1", "1"],
    ]


def test_a_large_throughput_is_written_in_full() -> None:
    # (it printed 1.23e+03 completed per day from 1,000 a day up)
    from wfengine.cli.stats_cmd import _per_day

    assert [_per_day(r) for r in (1234.4, 52000.0, 12.0, 4.8, 0.25)] == [
        "1,234",
        "52,000",
        "12",
        "4.8",
        "0.25",
    ]
