"""Ctrl-C (SIGINT) stops a command with exit status 130 and ``Aborted!`` on stderr, no
traceback: click's own status 1 is the one the README gives a refusal, so a script could not
tell an interrupt from "the engine refused". Each command reads a FIFO; the test knows the
command is inside its work once the FIFO has a reader (opening it for writing returns), sends
SIGINT then, and never writes: the command is interrupted mid-read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.cli.documents import LEAVE_REQUEST

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and SIGINT")

#: the safety net for a child that never opens the FIFO (it failed first): not a timing
GIVE_UP_SECONDS = 300


def _interrupted(args: list[str], fifo: Path) -> subprocess.CompletedProcess[str]:
    """Run ``wfengine ARGS`` (which reads ``fifo``), SIGINT it once it has opened ``fifo``."""
    os.mkfifo(fifo)
    child = subprocess.Popen(
        [sys.executable, "-m", "wfengine.cli.main", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Python installs its KeyboardInterrupt handler unless SIGINT is ignored at start
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    opened: list[int] = []
    writer = threading.Thread(target=lambda: opened.append(os.open(fifo, os.O_WRONLY)))
    writer.start()
    writer.join(GIVE_UP_SECONDS)
    try:
        assert opened, "the command never opened its input"
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=GIVE_UP_SECONDS)
    finally:
        if not opened:  # unblock the writer thread, then stop the child
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
            child.kill()
            child.communicate()
        for fd in opened:
            os.close(fd)
    return subprocess.CompletedProcess(args, child.returncode, out, err)


@pytest.mark.parametrize(
    "args",
    [["validate", "{fifo}"], ["run", str(LEAVE_REQUEST), "--script", "{fifo}"]],
    ids=["validate", "run-script"],
)
def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path, args: list[str]) -> None:
    fifo = tmp_path / "input"
    done = _interrupted([str(fifo) if a == "{fifo}" else a for a in args], fifo)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "Aborted!"
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
