"""``wfengine instances --limit N``: a page no database's LIMIT holds (2**63 and more) is a
usage error naming the option, not a traceback from the store."""

from __future__ import annotations

from pathlib import Path

from tests.cli.databases import automatic, cli, sqlite_url, write
from wfengine.cli.paging import MAX_LIMIT


def test_a_limit_beyond_what_a_database_holds_is_a_usage_error(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    started = cli("instance", "start", write(tmp_path, automatic()), "--db", url)
    assert started.exit_code == 0, started.output
    listed = cli("instances", "--db", url, "--limit", str(MAX_LIMIT), "--json")
    assert listed.exit_code == 0 and '"pi-1"' in listed.stdout, listed.output
    huge = cli("instances", "--db", url, "--limit", str(2**63))
    assert huge.exit_code == 2, huge.output
    assert "Invalid value for '--limit'" in huge.stderr
    assert "Traceback" not in huge.output
