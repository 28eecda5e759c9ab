"""Command-line values no store can hold are usage errors (exit 2) naming the option, not a
Python traceback (exit 1): a user id over the 200 characters a store holds, or any id, filter
or user id holding a byte that is not UTF-8 (a name typed in a Latin-1 terminal reaches Python
as a lone surrogate, which SQLite's driver could not encode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import automatic, cli, sqlite_url, write

#: ``jos\xe9`` as Python decodes it from a Latin-1 command line
LATIN1 = "jos\udce9"
LONG = "a" * 201


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database holding one started instance."""
    tmp_path = tmp_path_factory.mktemp("unstorable")
    url = sqlite_url(tmp_path)
    result = cli("instance", "start", write(tmp_path, automatic()), "--db", url)
    assert result.exit_code == 0, result.output
    return url


#: (the command line with {} for the value, the option the message names)
CASES = [
    (["worklist", "--user", "{}"], "'--user'"),
    (["worklist", "--user", "alice", "--process", "{}"], "'--process'"),
    (["workitem", "claim", "wi-1", "--user", "{}"], "'--user'"),
    (["workitem", "claim", "{}", "--user", "alice"], "'ID'"),
    (["workitem", "show", "{}", "--user", "alice"], "'ID'"),
    (["workitem", "delegate", "wi-1", "--user", "alice", "--to", "{}"], "'--to'"),
    (["workitem", "reassign", "wi-1", "--user", "alice", "--to", "{}"], "'--to'"),
    (
        [
            "workitem",
            "send-back",
            "wi-1",
            "--user",
            "alice",
            "--to-activity",
            "{}",
            "--reason",
            "r",
        ],
        "'--to-activity'",
    ),
    (["instance", "suspend", "pi-1", "--user", "{}"], "'--user'"),
    (["instance", "suspend", "{}"], "'ID'"),
    (["instance", "show", "{}"], "'ID'"),
    (["instance", "cancel", "pi-1", "--activity", "{}"], "'--activity'"),
    (["incident", "retry", "inc-1", "--user", "{}"], "'--user'"),
    (["incident", "retry", "{}"], "'ID'"),
    (["incident", "skip", "inc-1", "--take", "{}"], "'--take'"),
    (["instances", "--process", "{}"], "'--process'"),
    (["instances", "--after", "{}"], "'--after'"),
    (["audit", "--process", "{}"], "'--process'"),
    (["audit", "--instance", "{}"], "'--instance'"),
    (["audit", "--activity", "{}"], "'--activity'"),
    (["audit", "--user", "{}"], "'--user'"),
    (["audit", "verify", "--instance", "{}"], "'--instance'"),
    (["status", "{}"], "'ID'"),
    (["stats", "--process", "{}"], "'--process'"),
    (["message", "send", "paid", "--instance", "{}"], "'--instance'"),
]


def _ran(url: str, args: list[str], value: str) -> tuple[int, str]:
    result = cli(*[value if a == "{}" else a for a in args], "--db", url)
    assert isinstance(result.exception, SystemExit | None), result.exception  # no traceback
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("args", "option"), CASES, ids=[" ".join(a[:3]) for a, _ in CASES])
def test_a_byte_that_is_not_utf8_is_a_usage_error(url: str, args: list[str], option: str) -> None:
    status, err = _ran(url, args, LATIN1)
    assert status == 2, err
    assert f"Invalid value for {option}" in err
    assert "not UTF-8" in err and "cannot be read" not in err


@pytest.mark.parametrize(
    "args", [a for a, option in CASES if option in ("'--user'", "'--to'")], ids=str
)
def test_a_user_id_longer_than_a_store_holds_is_a_usage_error(url: str, args: list[str]) -> None:
    status, err = _ran(url, args, LONG)
    assert status == 2, err
    assert "201 characters long, more than the 200 a store holds" in err


def test_ids_a_store_holds_still_work(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    started = cli("instance", "start", write(tmp_path, automatic()), "--db", url)
    [iid] = started.stdout.split()
    listed = cli("instances", "--db", url, "--process", "main", "--after", iid)
    assert listed.exit_code == 0, listed.output
    result = cli("instance", "suspend", iid, "--db", url, "--user", "é" * 200)
    assert result.exit_code == 0, result.output
    trail = cli("audit", "--db", url, "--instance", iid, "--user", "é" * 200, "--format", "csv")
    assert trail.exit_code == 0 and "é" * 200 in trail.stdout, trail.output
