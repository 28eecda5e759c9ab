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
