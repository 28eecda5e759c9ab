"""``wfengine stats`` and ``wfengine run`` write the ids a definition chose on one line each:
an activity or process Id holding a line break (``&#10;`` in XPDL) is written escaped
(``\\n``), as the later lines of ``stats`` and ``wfengine audit``'s table write it. Before,
the stats header, the ACTIVITY rows, the ``bottlenecks:`` line and run's trace wrote it raw,
and the text after the break read as a row of its own (a forged activity with 999 cases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock

T0 = datetime(2024, 3, 4, 9, tzinfo=UTC)
FORGED = "forged_row                    999     1.0h     1.0h     1.0h       0%"
PROCESS = "claim\nforged: 999 started, 999 completed, 0 open; median cycle time 0s"
ACTIVITY = f"enter\n{FORGED}"


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process(PROCESS).activity(ACTIVITY, performer="clerk")
    return pb


def _forged(lines: list[str]) -> list[str]:
    """The lines the text after a line break began."""
    return [line for line in lines if line.startswith("forged")]


def test_stats_writes_ids_escaped(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    clock = VirtualClock(T0)
    with Engine(clock=clock, db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_package().build())
        done, _ = e.start_process(PROCESS), e.start_process(PROCESS)
        clock.advance(timedelta(hours=1))  # both waited an hour: a bottleneck
        (item,) = e.work_items(done)
        e.complete_work_item(item.id, user="alice")
    out = cli("stats", "--db", url)
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert _forged(lines) == []
    assert lines[0].startswith("claim\\nforged: 999 started, ")
    assert lines[2].split()[:2] == ["enter\\nforged_row", "999"]  # the escaped Id, then ...
    assert lines[2].split()[-5] == "1"  # ... its one real case
    assert lines[3] == f"  bottlenecks: enter\\n{FORGED}"


def test_run_writes_ids_escaped(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    pb.process("proc\nforged").activity("check\nforged")  # automatic: the run passes it
    out = cli("run", write(tmp_path, pb))
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert _forged(lines) == []
    assert lines[:2] == [
        "instance pi-1 of process proc\\nforged (version 1)",
        "     1. check\\nforged",
    ]
