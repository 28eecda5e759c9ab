"""Ctrl-C while an application runs: exit 130 with ``Aborted!`` only, as for any command.

The engine logged the stopped call at ERROR with its traceback; with no logging configured,
Python's last-resort handler printed that traceback (of wherever the application happened to
be) on stderr before ``Aborted!``. A ``KeyboardInterrupt`` in the main thread is the person's
Ctrl-C, so it is logged at INFO now; a ``sys.exit`` in an application is still an error with
its traceback (a bug to find). The application raises ``KeyboardInterrupt`` itself here: that
is what Python raises in it when SIGINT arrives while it runs, without a timing to wait for.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli.documents import LEAVE_REQUEST

_APPS = """\
import sys


def register(registry):
    def record_leave(**inputs):
        raise {stop}

    registry.register("record_leave", record_leave)
"""


def _run(tmp_path: Path, stop: str) -> subprocess.CompletedProcess[str]:
    apps = tmp_path / "stop_apps.py"
    apps.write_text(_APPS.format(stop=stop), encoding="utf-8")
    args = ["run", str(LEAVE_REQUEST), "--apps", str(apps), "--set", "days=3"]
    return subprocess.run(
        [sys.executable, "-m", "wfengine.cli.main", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ctrl_c_in_an_application_prints_aborted_only(tmp_path: Path) -> None:
    done = _run(tmp_path, "KeyboardInterrupt")
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == "Aborted!"


def test_sys_exit_in_an_application_is_still_logged_with_its_traceback(tmp_path: Path) -> None:
    done = _run(tmp_path, "SystemExit(4)")
    assert "application 'record_leave' raised SystemExit" in done.stderr
    assert "Traceback" in done.stderr
