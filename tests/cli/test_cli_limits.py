"""Hostile or careless input to the command line (issue 8, item 9): clean errors, not
tracebacks; upper bounds on sizes; no import hijacking; one bad database row is not fatal."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.cli.databases import automatic, cli, sqlite_url, write
from wfengine.cli.instance_cmd import MAX_COUNT
from wfengine.cli.json_input import MAX_JSON_DEPTH
from wfengine.cli.loading import MAX_INPUT_BYTES
from wfengine.cli.main import main
from wfengine.cli.worker_cmd import MAX_CONCURRENCY
from wfengine.definition.builder import PackageBuilder

HUGE = "7" * 5000


def _fields(tmp_path: Path) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER").data_field("x", "FLOAT").data_field("text", "STRING")
    p.data_field("items", "STRING", is_array=True)
    p.activity("review", performer="clerk")
    return write(tmp_path, pb)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "args",
    [
        ["--allow-undeclared", "--set", f"deep={_nested(100_000)}"],
        ["--set", f"items={_nested(100_000)}"],
        ["--allow-undeclared", "--set", f"deep={_nested(MAX_JSON_DEPTH + 1)}"],
    ],
    ids=["undeclared", "array-field", "one-too-deep"],
)
def test_deeply_nested_set_json_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    result = cli("run", _fields(tmp_path), *args)
    assert result.exit_code == 2, result.output
    assert f"at most {MAX_JSON_DEPTH} allowed" in result.stderr
    assert "Traceback" not in result.output and not isinstance(result.exception, RecursionError)


def test_nesting_up_to_the_limit_is_accepted(tmp_path: Path) -> None:
    value = _nested(MAX_JSON_DEPTH)
    result = cli("run", _fields(tmp_path), "--allow-undeclared", "--set", f"deep={value}")
    assert result.exit_code == 0, result.output


def test_deeply_nested_answers_are_a_usage_error(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"review": [{"v": ' + _nested(100_000) + "}]}")
    result = cli("run", _fields(tmp_path), "--answers", str(answers))
    assert result.exit_code == 2, result.output
    assert f"values may nest at most {MAX_JSON_DEPTH} levels" in result.stderr
    answers.write_text('{"review": [{"v": ' + _nested(MAX_JSON_DEPTH) + "}]}")
    args = ("--allow-undeclared", "--answers", str(answers))  # v is no field of the process
    assert cli("run", _fields(tmp_path), *args).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--allow-undeclared", "--set", f"big={HUGE}"], "has too many digits"),
        (["--allow-undeclared", "--set", f"big=[{HUGE}]"], "has too many digits"),
        (["--set", f"n={HUGE}"], "data field 'n' (INTEGER)"),
        (["--set", f"x={HUGE}"], "expected a finite FLOAT"),
    ],
    ids=["undeclared", "inside-json", "integer-field", "float-field"],
)
def test_a_5000_digit_number_is_an_error_not_a_string(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = cli("run", _fields(tmp_path), *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_a_5000_digit_string_field_keeps_its_text(tmp_path: Path) -> None:
    result = cli("run", _fields(tmp_path), "--set", f"text={HUGE}", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["data"]["text"] == HUGE


def test_a_5000_digit_number_in_answers_is_an_error(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"review": [{"n": ' + HUGE + "}]}")
    result = cli("run", _fields(tmp_path), "--answers", str(answers))
    assert result.exit_code == 2 and "has too many digits" in result.stderr


@pytest.mark.parametrize("route", ["answers", "script"])
def test_a_5000_digit_text_for_an_integer_says_it_has_too_many_digits(
    tmp_path: Path, route: str
) -> None:
    """Text for an INTEGER from --answers or --script reached Python's int(), whose message
    past its 4,300 digits ("use sys.set_int_max_str_digits()") is no help to a user."""
    steps = tmp_path / "steps.json"
    if route == "answers":
        steps.write_text('{"review": [{"n": "' + HUGE + '"}]}')
    else:
        steps.write_text('[{"complete": "review", "set": {"n": "' + HUGE + '"}}]')
    result = cli("run", _fields(tmp_path), f"--{route}", str(steps))
    assert result.exit_code == 2 and "has too many digits" in result.stderr
    assert "set_int_max_str_digits" not in result.stderr


#: an integer wider than instance data holds (4,096 bits), though within Python's 4,300 digits
WIDE = "9" * 2000


def _wide_inputs(tmp_path: Path) -> dict[str, list[str]]:
    answers = tmp_path / "answers.json"
    answers.write_text('{"review": [{"n": ' + WIDE + "}]}")
    as_text = tmp_path / "answers_text.json"
    as_text.write_text('{"review": [{"n": "' + WIDE + '"}]}')
    script = tmp_path / "steps.json"
    script.write_text('[{"complete": "review", "set": {"n": ' + WIDE + "}}]")
    return {
        "set-integer-field": ["--set", f"n={WIDE}"],
        "set-undeclared": ["--allow-undeclared", "--set", f"big={WIDE}"],
        "set-inside-json": ["--set", f'items=["a", {WIDE}]'],
        "answers": ["--answers", str(answers)],
        "answers-text-for-an-integer": ["--answers", str(as_text)],
        "script": ["--script", str(script)],
    }


@pytest.mark.parametrize(
    "case",
    [
        "set-integer-field",
        "set-undeclared",
        "set-inside-json",
        "answers",
        "answers-text-for-an-integer",
        "script",
    ],
)
def test_an_integer_wider_than_instance_data_holds_is_refused_before_anything_runs(
    tmp_path: Path, case: str
) -> None:
    """A 2,000-digit integer passed the command line's check (Python's 4,300 digits) and
    failed when the engine stored it: exit 1 mid-run, an instance left open in --db."""
    url = sqlite_url(tmp_path)
    result = cli("run", _fields(tmp_path), *_wide_inputs(tmp_path)[case], "--db", url)
    assert result.exit_code == 2, result.output
    assert "has too many digits (integers may be at most 4096 bits wide" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "wf.db").exists() or cli("instances", "--db", url).stdout == ""


@pytest.mark.parametrize(
    "command",
    [
        ["incident", "skip", "inc-1"],
        ["signal", "send", "go"],
        ["message", "send", "go", "--start"],
    ],
    ids=["incident-skip", "signal-send", "message-send"],
)
def test_other_commands_refuse_an_integer_wider_than_instance_data_holds(
    tmp_path: Path, command: list[str]
) -> None:
    url = sqlite_url(tmp_path)
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    result = cli(*command, "--db", url, "--set", f"v={WIDE}")
    assert result.exit_code == 2, result.output
    assert "integers may be at most 4096 bits wide" in result.stderr


def test_the_widest_integer_instance_data_holds_is_accepted(tmp_path: Path) -> None:
    widest = 2**4096 - 1
    result = cli("run", _fields(tmp_path), "--set", f"n={widest}", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"]["n"] == widest
    refused = cli("run", _fields(tmp_path), "--set", f"n={widest + 1}")
    assert refused.exit_code == 2 and "4096 bits" in refused.stderr


def test_an_integer_too_large_for_a_float_field_is_a_usage_error(tmp_path: Path) -> None:
    """float() of it raised OverflowError: a traceback, exit 1."""
    answers = tmp_path / "answers.json"
    answers.write_text('{"review": [{"x": 1' + "0" * 400 + "}]}")
    result = cli("run", _fields(tmp_path), "--answers", str(answers))
    assert result.exit_code == 2, result.output
    assert "data field 'x' (FLOAT): expected FLOAT, got int 1000" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe[]", "not UTF-8 text"),
        (_nested(100_000).encode(), f"values may nest at most {MAX_JSON_DEPTH} levels"),
        (b'[{"complete": "review", "set": {"n": ' + HUGE.encode() + b"}}]", "too many digits"),
    ],
    ids=["not-utf8", "deep", "5000-digits"],
)
def test_a_script_file_beyond_the_limits_is_a_usage_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    """Each was a Python traceback, exit 1 (UnicodeDecodeError, RecursionError, ValueError)."""
    script = tmp_path / "steps.json"
    script.write_bytes(content)
    result = cli("run", _fields(tmp_path), "--script", str(script))
    assert result.exit_code == 2, result.output
    assert f"--script {script}: " in result.stderr and message in result.stderr
    assert "Traceback" not in result.output and not isinstance(result.exception, RecursionError)


def test_script_values_nested_up_to_the_limit_are_accepted(tmp_path: Path) -> None:
    script = tmp_path / "steps.json"
    value = _nested(MAX_JSON_DEPTH)
    script.write_text('[{"complete": "review", "set": {"deep": ' + value + "}}]")
    result = cli("run", _fields(tmp_path), "--allow-undeclared", "--script", str(script))
    assert result.exit_code == 0, result.output


class _Endless(io.RawIOBase):
    """Standard input that never ends (``yes '' |``); reading far past the limit fails the
    test instead of filling the memory."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        assert self.given <= 4 * MAX_INPUT_BYTES, "read far past the limit"
        buffer[:] = b"\n" * len(buffer)
        self.given += len(buffer)
        return len(buffer)


@pytest.mark.parametrize("option", ["--answers", "--script"])
def test_an_endless_answers_or_script_input_is_read_no_further_than_the_limit(
    tmp_path: Path, option: str
) -> None:
    """``--answers /dev/zero`` or ``yes '' | wfengine run ... --answers -`` was read until
    memory ran out (MemoryError, exit 1)."""
    xpdl = _fields(tmp_path)
    result = cli("run", xpdl, option, "/dev/zero")
    assert result.exit_code == 2, result.output
    assert (
        f"Invalid value for {option}: /dev/zero is larger than the limit of {MAX_INPUT_BYTES} "
        "bytes; the rest was not read"
    ) in result.stderr
    endless = _Endless()
    piped = CliRunner().invoke(main, ["run", xpdl, option, "-"], input=io.BufferedReader(endless))
    assert piped.exit_code == 2, piped.output
    assert f"<stdin> is larger than the limit of {MAX_INPUT_BYTES} bytes" in piped.stderr
    assert endless.given <= 2 * MAX_INPUT_BYTES


def test_answers_up_to_the_limit_are_read(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    padding = " " * (MAX_INPUT_BYTES - len('{"review": [{"n": 5}]}'))
    answers.write_text('{"review": [{"n": 5}]}' + padding)
    result = cli("run", _fields(tmp_path), "--answers", str(answers), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"]["n"] == 5
    answers.write_text('{"review": [{"n": 5}]}' + padding + " ")
    assert cli("run", _fields(tmp_path), "--answers", str(answers)).exit_code == 2


def test_incident_skip_values_have_the_same_limits(tmp_path: Path) -> None:
    result = cli("incident", "skip", "inc-1", "--db", sqlite_url(tmp_path), "--set", f"v={HUGE}")
    assert result.exit_code == 2 and "has too many digits" in result.stderr


def test_worker_concurrency_and_start_count_have_upper_bounds(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    worker = cli("worker", "--db", url, "--until-idle", "--concurrency", "100000")
    assert worker.exit_code == 2
    assert f"1<=x<={MAX_CONCURRENCY}" in worker.stderr
    xpdl = write(tmp_path, automatic())
    start = cli("instance", "start", xpdl, "--db", url, "--count", str(MAX_COUNT + 1))
    assert start.exit_code == 2
    assert f"1<=x<={MAX_COUNT}" in start.stderr
    assert cli("worker", "--db", url, "--until-idle", "--concurrency", "2").exit_code == 0


@pytest.mark.parametrize("option", ["--lease", "--poll", "--job-timeout", "--grace"])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nan", "is not a finite number of seconds"),
        ("inf", "is not a finite number of seconds"),
        ("-inf", "is not a finite number of seconds"),
        ("1e12", "seconds is more than 31,536,000 (a year)"),
    ],
    ids=["nan", "inf", "-inf", "1e12"],
)
def test_worker_seconds_are_finite_and_bounded(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    """``--lease nan`` and ``--lease 1e12`` were tracebacks, ``--job-timeout nan`` turned
    the job timeout off, and ``--grace inf`` or ``--poll nan`` were taken."""
    result = cli("worker", "--db", sqlite_url(tmp_path), "--until-idle", f"{option}={value}")
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.stderr and message in result.stderr


def test_every_float_option_is_finite_seconds() -> None:
    """A new float option takes the shared type, so NaN cannot slip past its bounds."""
    import click

    from wfengine.cli.main import main
    from wfengine.cli.option_types import Seconds

    def commands(group: click.Command, path: str) -> list[tuple[str, click.Command]]:
        found = [(path, group)]
        for name, sub in getattr(group, "commands", {}).items():
            found += commands(sub, f"{path} {name}")
        return found

    floats = [
        (path, param)
        for path, command in commands(main, "wfengine")
        for param in command.params
        if isinstance(param.type, click.types.FloatParamType)
    ]
    assert ("wfengine worker", "lease") in [(path, p.name) for path, p in floats]
    assert [(path, p.name) for path, p in floats if not isinstance(p.type, Seconds)] == []


def test_apps_does_not_leave_the_current_directory_on_sys_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "wf_cwd_apps.py").write_text("def register(registry):\n    pass\n")
    monkeypatch.chdir(tmp_path)
    before = list(sys.path)
    try:
        result = cli("run", write(tmp_path, automatic()), "--apps", "wf_cwd_apps")
        assert result.exit_code == 0, result.output
        assert sys.path == before
    finally:
        sys.modules.pop("wf_cwd_apps", None)


def test_a_module_beside_the_apps_module_does_not_shadow_the_standard_library(
    tmp_path: Path,
) -> None:
    """A ``sqlite3.py`` in the current directory is not what the SQLite store imports later."""
    marker = tmp_path / "hijacked"
    (tmp_path / "sqlite3.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('imported')\n"
        "raise ImportError('the fake sqlite3')\n"
    )
    (tmp_path / "wf_plain_apps.py").write_text("def register(registry):\n    pass\n")
    xpdl = write(tmp_path, automatic())
    run = ["run", xpdl, "--apps", "wf_plain_apps", "--db", "sqlite:///wf.db"]
    done = subprocess.run(
        [sys.executable, "-m", "wfengine.cli.main", *run],
        cwd=tmp_path,
        env={**os.environ, "PYTHONSAFEPATH": "1"},  # python -m itself must not add the cwd
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not marker.exists()


def test_a_tampered_row_is_skipped_and_the_others_listed(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    xpdl = write(tmp_path, automatic())
    ids = cli("instance", "start", xpdl, "--db", url, "--count", "4").stdout.split()
    with sqlite3.connect(tmp_path / "wf.db") as db:
        db.execute("UPDATE process_instances SET state = 'bogus' WHERE id = ?", (ids[1],))
        db.execute("UPDATE process_instances SET created_at = 'garbage' WHERE id = ?", (ids[2],))
    db.close()
    result = cli("instances", "--db", url, "--json")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)] == [ids[0], ids[3]]
    for bad in ids[1:3]:
        assert f"skipped the process_instances row with id {bad!r}" in result.stderr
    text = cli("instances", "--db", url)
    assert [line.split("\t")[0] for line in text.stdout.splitlines()] == [ids[0], ids[3]]


@pytest.mark.parametrize(
    ("column", "value"),
    [("state_blob", "{broken"), ("data", "[1"), ("state_blob", "{}")],
    ids=["document-not-json", "data-not-json", "document-empty"],
)
def test_one_instance_whose_row_cannot_be_read_is_a_clear_error(
    tmp_path: Path, column: str, value: str
) -> None:
    # a row edited by hand: exit 1 naming the instance, not a decoder's traceback
    url = sqlite_url(tmp_path)
    xpdl = write(tmp_path, automatic())
    (iid,) = cli("instance", "start", xpdl, "--db", url).stdout.split()
    with sqlite3.connect(tmp_path / "wf.db") as db:
        db.execute(f"UPDATE process_instances SET {column} = ? WHERE id = ?", (value, iid))
    db.close()
    for command in (["instance", "show", iid], ["status", iid]):
        result = cli(*command, "--db", url)
        assert result.exit_code == 1, result.output
        assert f"process instance {iid!r}: its row cannot be read" in result.stderr
        assert "Traceback" not in result.output
