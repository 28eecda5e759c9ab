"""A command started with standard output closed (``>&-``, as cron jobs and daemon launchers
may start it) does its work and exits 0, as before the closed-pipe handling: Python then has no
``sys.stdout`` (None), and flushing it raised ``AttributeError`` after the work was done (exit 1,
"the engine refused", with a traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


ENTRY = (
    "import sys; from wfengine.cli.entry import main; sys.argv = ['wfengine', *sys.argv[1:]]; "
    "main()"
)


def test_a_command_started_with_standard_output_closed_succeeds() -> None:
    done = subprocess.run(
        [
            "sh",
            "-c",
            '"$0" -c "$1" validate "$2" >&-',
            sys.executable,
            ENTRY,
            str(EXAMPLES / "leave_request.xpdl"),
        ],
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_a_host_calling_main_in_its_process_keeps_its_standard_output() -> None:
    """The stream the CLI writes standard output through is the console script's: a host
    that runs ``main`` itself keeps the ``sys.stdout`` it (or a library) may hold, whose
    writes would otherwise come out of order with the CLI's."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; before = sys.stdout; from wfengine.cli.main import main; "
            "main(['validate', sys.argv[1]], standalone_mode=False); "
            "print(sys.stdout is before, file=sys.stderr)",
            str(EXAMPLES / "leave_request.xpdl"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "True"
