"""``wfengine demo crm``: README's main job. It runs a simulated day through the real engine
on SQLite and prints the report; the same seed gives the same day."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli.databases import cli
from tests.conftest import REPO_ROOT


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
    # the desks were told of their new work, by e-mail and SMS (notices.py)
    told = re.search(r"People told of their work: (\d+) by e-mail \(new work (\d+)", out)
    assert told is not None and int(told.group(2)) > 0, out
    assert re.search(r"; (\d+) by SMS \(new work \d+", out)
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


def test_cases_per_path_are_what_the_audit_trail_says(tmp_path: Path) -> None:
    """A case planned for several departments whose first department cannot handle it went
    through one department: the report counts it so (seed 9 has such cases), as the trail
    of the day's database does."""
    from collections import Counter

    from wfengine import Engine

    url = f"sqlite:///{tmp_path / 'day.db'}"
    result = cli("demo", "crm", "--complaints", "40", "--seed", "9", "--db", url)
    assert result.exit_code == 0, result.output
    reported = _paths(result.stdout)
    turns: Counter[str] = Counter()
    with Engine(db_url=url) as engine:
        for case in engine.instance_summaries():
            trace = engine.trace(case.id)
            n = trace.count("department")
            if "step_back" in trace:
                turns[f"departments, sent back a step ({n} turns)"] += 1
            elif n:
                turns["one department" if n == 1 else f"departments ({n} in sequence)"] += 1
    assert turns and {k: v for k, v in reported.items() if "department" in k} == dict(turns)


def test_the_day_has_departments_rejecting_a_case_back_a_step(tmp_path: Path) -> None:
    """A department rejects a case back to the department before it (``dept_outcome``
    ``back``), which does its part again and hands it on: the day simulates it (it never
    did), and the report counts those cases as the trail has them."""
    from wfengine import Engine

    url = f"sqlite:///{tmp_path / 'day.db'}"
    result = cli("demo", "crm", "--complaints", "60", "--seed", "1", "--db", url)
    assert result.exit_code == 0, result.output
    reported = {k: v for k, v in _paths(result.stdout).items() if "sent back a step" in k}
    rejected = []
    with Engine(db_url=url) as engine:
        for case in engine.instance_summaries():
            trace = engine.trace(case.id)
            if "step_back" in trace:
                rejected.append(case.id)
                # the one that rejected it had its turn again, after the one before it
                assert trace.count("department") >= 4, trace
                assert engine.instance(case.id).state.name == "COMPLETED"
    assert rejected and sum(reported.values()) == len(rejected), result.stdout


def test_a_database_that_already_holds_work_is_refused(tmp_path: Path) -> None:
    """A second day on the same database would be reported mixed with the first, and an
    organisation loaded there would be replaced: both are refused (exit 2), nothing written."""
    url = f"sqlite:///{tmp_path / 'day.db'}"
    assert cli("demo", "crm", "--complaints", "5", "--db", url).exit_code == 0
    again = cli("demo", "crm", "--complaints", "5", "--db", url)
    assert again.exit_code == 2 and "already holds process instances" in again.output
    listed = cli("instances", "--db", url, "--json")
    assert len(json.loads(listed.stdout)) == 5  # the first day's, and no more

    mine = f"sqlite:///{tmp_path / 'mine.db'}"
    loaded = cli("org", "load", str(REPO_ROOT / "examples" / "organisation.yaml"), "--db", mine)
    assert loaded.exit_code == 0, loaded.output
    refused = cli("demo", "crm", "--complaints", "5", "--db", mine)
    assert refused.exit_code == 2 and "already holds an organisation" in refused.output
    shown = cli("org", "show", "--db", mine)
    assert "alice" in shown.stdout and "eva" not in shown.stdout  # still the user's own


def test_crm_tables_of_a_newer_example_are_refused_as_exit_2_naming_the_versions(
    tmp_path: Path,
) -> None:
    """It printed a traceback: the CRM side's refusal went past the command's error mapping."""
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'crm.db'}"
    db = sa.create_engine(url)
    with db.begin() as conn:  # what a newer example would have left: a version beyond this one
        conn.exec_driver_sql(
            "CREATE TABLE crm_schema_version (id INTEGER PRIMARY KEY, version INTEGER)"
        )
        conn.exec_driver_sql("INSERT INTO crm_schema_version VALUES (1, 99)")
    db.dispose()
    result = cli("demo", "crm", "--complaints", "3", "--db", url)
    assert result.exit_code == 2, result.output
    assert "version 99" in result.output and "Traceback" not in result.output
