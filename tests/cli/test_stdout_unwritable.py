"""A standard output that cannot be written (``wfengine show X --json > /dev/full``: no space
left on the device) is an I/O failure like a file that cannot be written: exit 2 and one line
``Error: cannot write standard output: REASON``. It printed a 30-line traceback and exited 1,
which for ``run`` reads "the instance was terminated". An ``OSError`` that is not standard
output's keeps its own handling: it is not taken for one."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from tests.cli.databases import cli
from tests.cli.documents import LEAVE_REQUEST
from wfengine.cli.exit_status import ExitStatus
from wfengine.cli.main import _Wfengine

FULL = Path("/dev/full")

COMMANDS = {
    "show": ["show", str(LEAVE_REQUEST), "--json"],
    "convert": ["convert", str(LEAVE_REQUEST), "-o", "-"],  # binary output
    "validate": ["validate", "--json", str(LEAVE_REQUEST)],  # ends by ctx.exit
    "run": ["run", str(LEAVE_REQUEST), "--set", "days=3", "--json"],  # ends by SystemExit
    "help": ["--help"],  # printed while the command line is parsed
}


def _wfengine(
    args: list[str], stdout: int, *, buffered: bool
) -> subprocess.CompletedProcess[bytes]:
    """``wfengine ARGS`` in a process of its own, its output buffered as Python's is by
    default, or not (``PYTHONUNBUFFERED``, as under ``python -u``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "wfengine.cli.main", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
    )


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_stdout_exits_2_saying_so(command: str, buffered: bool) -> None:
    with FULL.open("wb") as full:
        done = _wfengine(COMMANDS[command], full.fileno(), buffered=buffered)
    err = done.stderr.decode()
    assert done.returncode == ExitStatus.USAGE_OR_IO, err
    assert "Traceback" not in err and "Exception ignored" not in err
    [line] = [line for line in err.splitlines() if line.startswith("Error:")]
    assert line == f"Error: cannot write standard output: {os.strerror(errno.ENOSPC)}"


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_writable_stdout_gets_the_whole_output(buffered: bool) -> None:
    for args in (COMMANDS["show"], COMMANDS["convert"]):
        done = _wfengine(args, subprocess.PIPE, buffered=buffered)
        assert done.returncode == 0, done.stderr
        assert done.stdout == cli(*args).stdout_bytes


def test_an_os_error_of_the_command_itself_is_not_taken_for_stdout() -> None:
    @click.group(cls=_Wfengine)
    def group() -> None:
        """A group as wfengine's."""

    @group.command()
    def fails() -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/var/lib/engine.db")

    with pytest.raises(OSError, match=r"engine\.db") as raised:
        group.main(["fails"], standalone_mode=False)
    assert not isinstance(raised.value, click.ClickException)
