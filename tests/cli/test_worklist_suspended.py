"""``wfengine worklist`` and ``wfengine workitem show`` say when an item's instance is
suspended (``"suspended": true``, ``instance suspended`` in the text line): the item stays
listed, and every action on it is refused until the instance is resumed. Before, it read as
live work, and claiming it failed with nothing on the list to say why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder


def _started(tmp_path: Path) -> tuple[str, str, str]:
    """A database with two instances offering work to clerk: its url and their ids."""
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("task").activity("w", performer="clerk")
    path = write(tmp_path, pb)
    started = cli("instance", "start", path, "--db", url, "--count", "2")
    assert started.exit_code == 0, started.output
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0  # (offers the work)
    first, second = started.stdout.split()
    return url, first, second


def _rows(url: str) -> dict[str, dict[str, Any]]:
    listed = cli("worklist", "--db", url, "--user", "clerk", "--json")
    assert listed.exit_code == 0, listed.output
    return {row["instance_id"]: row for row in json.loads(listed.stdout)}


def test_the_worklist_and_show_mark_the_work_of_a_suspended_instance(tmp_path: Path) -> None:
    url, live, paused = _started(tmp_path)
    assert cli("instance", "suspend", paused, "--db", url).exit_code == 0
    rows = _rows(url)
    assert rows[paused]["suspended"] is True and rows[live]["suspended"] is False
    text = cli("worklist", "--db", url, "--user", "clerk").stdout.splitlines()
    [marked] = [line for line in text if line.startswith(rows[paused]["id"] + " ")]
    assert marked.endswith("offered (unclaimed, offered to 1 user, instance suspended)")
    assert not any("suspended" in line for line in text if line != marked)
    shown = cli("workitem", "show", rows[paused]["id"], "--db", url, "--user", "clerk")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["suspended"] is True
    refused = cli("workitem", "claim", rows[paused]["id"], "--db", url, "--user", "clerk")
    assert refused.exit_code == 1 and "suspended" in refused.stderr

    assert cli("instance", "resume", paused, "--db", url).exit_code == 0
    assert not any(row["suspended"] for row in _rows(url).values())
    text = cli("worklist", "--db", url, "--user", "clerk").stdout
    assert "suspended" not in text
