"""``wfengine stats`` on a database with no instance yet says so on stderr (exit 0): it
printed nothing at all, which read as a command that had failed silently. ``--json`` still
prints ``[]`` alone."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import cli, sqlite_url


def test_stats_of_an_empty_database_says_so(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    out = cli("stats", "--db", url)
    assert out.exit_code == 0, out.output
    assert out.stdout == ""
    assert out.stderr == "wfengine stats: no process instance in the database yet\n"
    as_json = cli("stats", "--db", url, "--json")
    assert (as_json.exit_code, as_json.stdout, as_json.stderr) == (0, "[]\n", "")
