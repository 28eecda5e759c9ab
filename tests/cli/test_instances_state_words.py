"""``wfengine instances --state`` takes a state's last word (``running``, ``completed``) as
well as its WfMC name, as the WAPI listing does: it took the full names only."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import automatic, cli, sqlite_url, write


def test_a_state_by_its_last_word_lists_what_its_full_name_lists(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    started = cli("instance", "start", write(tmp_path, automatic()), "--db", url)
    assert started.exit_code == 0, started.output
    for short, full in [("completed", "closed.completed"), ("running", "open.running")]:
        by_word = cli("instances", "--db", url, "--state", short, "--json")
        by_name = cli("instances", "--db", url, "--state", full, "--json")
        assert by_word.exit_code == 0, by_word.output
        assert json.loads(by_word.stdout) == json.loads(by_name.stdout)
    running = json.loads(cli("instances", "--db", url, "--state", "running", "--json").stdout)
    assert [i["state"] for i in running] == ["open.running"]
    wrong = cli("instances", "--db", url, "--state", "done")
    assert wrong.exit_code == 2 and "'--state'" in wrong.stderr
