"""``wfengine worklist --limit N --after ID`` pages through a user's list as ``wfengine
instances`` pages through instances (the same options, help and exit statuses). Before, the
command had no paging and printed a user's whole list, however long."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from tests.cli.databases import cli, sqlite_url, write
from tests.cli.documents import REPO_ROOT
from wfengine.cli.main import main
from wfengine.cli.paging import MAX_LIMIT
from wfengine.definition.builder import PackageBuilder

EXAMPLE_ORG = REPO_ROOT / "examples" / "organisation.yaml"


@pytest.fixture
def url(tmp_path: Path) -> str:
    """Seven quotes offered to the employees (alice among them)."""
    db = sqlite_url(tmp_path)
    assert cli("org", "load", str(EXAMPLE_ORG), "--db", db).exit_code == 0
    pb = PackageBuilder("pkg")
    pb.process("order").activity("quote", performer="employee")
    started = cli("instance", "start", write(tmp_path, pb), "--db", db, "--count", "7")
    assert started.exit_code == 0, started.output
    assert cli("worker", "--db", db, "--until-idle").exit_code == 0
    return db


def _ids(url: str, *paging: str) -> list[str]:
    result = cli("worklist", "--db", url, "--user", "alice", "--json", *paging)
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)]


def test_pages_put_together_are_the_whole_list(url: str) -> None:
    whole = _ids(url)
    assert len(whole) == 7
    pages = [_ids(url, "--limit", "3")]
    while pages[-1]:
        pages.append(_ids(url, "--limit", "3", "--after", pages[-1][-1]))
    assert [len(p) for p in pages] == [3, 3, 1, 0]
    assert [i for p in pages for i in p] == whole
    # the text pages the same way: an item's id is the first column of its line
    text = cli("worklist", "--db", url, "--user", "alice", "--limit", "3", "--after", whole[2])
    assert text.exit_code == 0, text.output
    assert [line.split()[0] for line in text.stdout.splitlines()] == whole[3:6]


def test_the_last_item_of_a_page_done_since_still_marks_the_place(url: str) -> None:
    first = _ids(url, "--limit", "2")
    done = cli("workitem", "complete", first[-1], "--db", url, "--user", "alice")
    assert done.exit_code == 0, done.output
    assert _ids(url, "--limit", "2", "--after", first[-1]) == _ids(url)[1:3]


def test_bad_paging_values(url: str) -> None:
    args = ("worklist", "--db", url, "--user", "alice")
    for limit in ("-1", str(MAX_LIMIT + 1), "two"):
        bad = cli(*args, "--limit", limit)
        assert bad.exit_code == 2 and "Invalid value for '--limit'" in bad.stderr, bad.output
    assert _ids(url, "--limit", str(MAX_LIMIT)) == _ids(url)
    assert _ids(url, "--limit", "0") == []
    unknown = cli(*args, "--after", "wi-999")
    assert unknown.exit_code == 1 and "wi-999" in unknown.stderr, unknown.output


def _option_help(path: list[str], option: str) -> str:
    command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    ctx = click.Context(command, info_name=path[-1])
    [record] = [
        p.get_help_record(ctx)
        for p in command.params
        if isinstance(p, click.Option) and option in p.opts
    ]
    assert record is not None
    return " ".join(record[1].split())


def test_the_options_read_as_the_instance_listings() -> None:
    assert _option_help(["worklist"], "--limit") == _option_help(["instances"], "--limit")
    assert _option_help(["worklist"], "--after") == (
        "Start after work item ID (the last one of the previous page)."
    )
    assert _option_help(["instances"], "--after") == (
        "Start after instance ID (the last one of the previous page)."
    )
    shown = cli("worklist", "--help")
    assert "the next page is --after the id of the last item" in " ".join(shown.stdout.split())
