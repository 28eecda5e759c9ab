"""``wfengine audit --since T1 --until T2`` with T2 not after T1: the window is empty, a usage
error (exit 2) as ``wfengine stats`` gives for the same window, not an empty listing with
exit 0 that reads as "nothing happened"."""

from __future__ import annotations

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("window")
    db = sqlite_url(tmp)
    pb = PackageBuilder("pkg")
    pb.process("order").activity("enter")
    done = cli("run", write(tmp, pb), "--db", db)
    assert done.exit_code == 0, done.output
    return db


@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl", "xes"])
@pytest.mark.parametrize("until", ["2026-01-05T00:00:00", "2026-01-06T00:00:00"])
def test_an_until_not_after_since_is_refused_as_stats_refuses_it(
    url: str, fmt: str, until: str
) -> None:
    window = ["--since", "2026-01-06T00:00:00", "--until", until]
    for command in ("audit", "stats"):
        args = [command, "--db", url, *window]
        out = cli(*args, "--format", fmt) if command == "audit" else cli(*args)
        assert out.exit_code == 2, (command, out.output)
        assert "is not after --since" in out.output and "the window is empty" in out.output
        assert "AT " not in out.stdout


def test_a_window_in_order_lists(url: str) -> None:
    out = cli("audit", "--db", url, "--since", "2000-01-01T00:00:00", "--until", "2100-01-01")
    assert out.exit_code == 0, out.output
    assert "instance.created" in out.stdout


@pytest.mark.parametrize(
    "option,value", [("--since", "0001-01-01T00:00+01:00"), ("--until", "9999-12-31T23:30-01:00")]
)
def test_a_time_with_no_utc_time_is_refused_naming_the_option(
    url: str, option: str, value: str
) -> None:
    for command in ("audit", "stats"):
        out = cli(command, "--db", url, option, value)
        assert out.exit_code == 2, (command, out.output)
        assert option in out.output and "is out of range" in out.output


def test_an_hour_of_24_is_refused_with_the_next_day_hint(url: str) -> None:
    """It said only "not an ISO 8601 time" (and CPython 3.14 would read it as the next day)."""
    for command in ("audit", "stats"):
        out = cli(command, "--db", url, "--since", "2030-12-31T24:00")
        assert out.exit_code == 2, (command, out.output)
        assert "an hour of 24 is not read (write the next day's 00:00)" in out.output
