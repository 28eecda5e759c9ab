"""Ctrl-C while ``wfengine`` is still importing its command modules (the first few tenths of a
second) exits 130 with ``Aborted!``, as it does during a command (README). It printed a raw
``KeyboardInterrupt`` traceback: the interrupt came before the group that handles it existed.
The console script is :func:`wfengine.cli.entry.main`, which handles it around the import.

No timing: the child is given an import hook that raises ``KeyboardInterrupt`` where Ctrl-C
would, on the import of the command line's first command module."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from tests.cli.documents import REPO_ROOT
from wfengine import __version__
from wfengine.cli.exit_status import ExitStatus

#: the child: the console script's call, the interrupt raised on importing a command module
INTERRUPTED_IMPORT = """
import builtins, sys

real_import = builtins.__import__


def interrupted(name, *args, **kwargs):
    if name.startswith("wfengine.cli.") and name.endswith("_cmd"):
        raise KeyboardInterrupt
    return real_import(name, *args, **kwargs)


builtins.__import__ = interrupted
sys.argv = ["wfengine", "--version"]
from wfengine.cli.entry import main

main()
"""


def _child(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )


def test_ctrl_c_while_importing_exits_130_aborted() -> None:
    done = _child(INTERRUPTED_IMPORT)
    assert done.returncode == ExitStatus.INTERRUPTED, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == "Aborted!"
    assert done.stdout == ""


def test_the_entry_runs_the_command_line() -> None:
    done = _child(
        "import sys; sys.argv = ['wfengine', '--version']\n"
        "from wfengine.cli.entry import main; main()"
    )
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout


def test_the_console_script_is_the_entry() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"] == {"wfengine": "wfengine.cli.entry:main"}
