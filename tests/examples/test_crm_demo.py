"""``wfengine demo crm``: README's main job. It runs a simulated day through the real engine
on SQLite and prints the report; the same seed gives the same day."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli.databases import cli


def _paths(output: str) -> dict[str, int]:
    section = output.split("Cases per path", 1)[1].split("\n\n", 1)[0]
    found = re.findall(r"^(\S.*?)\s{2,}(\d+)\s+\d+%$", section, re.M)
    return {path: int(n) for path, n in found}


def test_the_demo_runs_a_day_and_reports_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'day.db'}"
    result = cli("demo", "crm", "--complaints", "40", "--seed", "3", "--db", url)
    assert result.exit_code == 0, result.output
    out = result.stdout
    paths = _paths(out)
    assert sum(paths.values()) == 40 and "instant answer" in paths
    for heading in ("Time per step", "Bottleneck:", "Reminders sent:", "brief status",
                    "detailed status", "Waiting and handling time per step, drawn:"):  # fmt: skip
        assert heading in out, heading
    png = Path(out.split("drawn: ", 1)[1].split("\n", 1)[0])
    assert png.is_file() and png.read_bytes()[:4] == b"\x89PNG"
    # the trail stays in the database: the stats command reads it
    stats = cli("stats", "--db", url, "--process", "complaint")
    assert stats.exit_code == 0 and "coordinate" in stats.stdout
    # and the day's organisation with it: the figures per role and unit
    grouped = cli("stats", "--db", url, "--process", "complaint", "--json")
    groups = {(g["kind"], g["id"]) for g in json.loads(grouped.stdout)[0]["groups"]}
    assert ("role", "coordinator") in groups and ("unit", "billing") in groups
    again = cli("demo", "crm", "--complaints", "40", "--seed", "3")
    assert _paths(again.stdout) == paths  # the same seed, the same day
    other = cli("demo", "crm", "--complaints", "40", "--seed", "4")
    assert _paths(other.stdout) != paths


def test_without_the_example_the_demo_says_where_to_point(tmp_path: Path) -> None:
    result = cli("demo", "crm", "--example", str(tmp_path))
    assert result.exit_code == 2 and "--example" in result.output
