"""``wfengine stats`` on a database: the window ``--since``/``--until`` reaches the plot and
the throughput, an empty window is a usage error, and the users' figures count work items."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder, StaticDirectory, VirtualClock
from wfengine.definition.build_arguments import standard_loop

T0 = datetime(2024, 3, 4, 9, tzinfo=UTC)


def _database(tmp_path: Path) -> str:
    """Four cases started on 4 March at 09:00 and completed on the 5th from 10:00 to 13:00,
    each by ann in three rounds of a loop; a fifth started on the 5th at 16:00."""
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.participant("clerk")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("check", performer="clerk", loop=standard_loop("n < 3", maximum=10), writes=["n"])
    clock = VirtualClock(T0)
    with Engine(clock=clock, db_url=url, directory=StaticDirectory({"clerk": ["ann"]})) as e:
        e.deploy(pb.build())
        cases = [e.start_process("p") for _ in range(4)]
        for hours, iid in zip((25, 26, 27, 28), cases, strict=True):
            clock.set(T0 + timedelta(hours=hours))
            for n in (1, 2, 3):
                (item,) = e.work_items(iid)
                e.complete_work_item(item.id, {"n": n}, user="ann")
        clock.set(T0 + timedelta(hours=31))
        e.start_process("p")
    return url


def test_a_days_throughput_and_each_work_item_completed(tmp_path: Path) -> None:
    url = _database(tmp_path)
    day = ("--since", "2024-03-05T00:00:00", "--until", "2024-03-06T00:00:00")
    out = cli("stats", "--db", url, *day, "--json")
    assert out.exit_code == 0, out.output
    [p] = json.loads(out.stdout)
    assert (p["completed"], p["throughput_per_day"]) == (4, 4.0)
    assert p["users"] == [{"user": "ann", "completed": 12, "holding": 0}]


def test_an_empty_window_is_a_usage_error(tmp_path: Path) -> None:
    url = _database(tmp_path)
    out = cli("stats", "--db", url, "--since", "2024-03-06", "--until", "2024-03-05")
    assert out.exit_code == 2
    assert "--until" in out.stderr and "--since" in out.stderr


def test_the_plot_draws_the_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _database(tmp_path)
    drawn: list[dict[str, Any]] = []

    def plot_bytes(engine: Engine, process_id: str, fmt: str, **window: Any) -> bytes:
        drawn.append({"process_id": process_id, **window})
        return b"<svg/>"

    monkeypatch.setattr("wfengine.audit.plots.plot_bytes", plot_bytes)
    target = str(tmp_path / "times.svg")
    out = cli("stats", "--db", url, "--since", "2024-03-05", "--plot", target)
    assert out.exit_code == 0, out.output
    since = datetime(2024, 3, 5, tzinfo=UTC)
    assert drawn == [{"process_id": "p", "since": since, "until": None}]
