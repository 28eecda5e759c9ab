"""After SIGTERM, ``wfengine worker``'s last log line is its summary (``worker stopped after
...``), as README promises: the supervisor logged the signal ("SIGTERM: finishing the current
job(s), then stopping") on its next look, after it had already forwarded it, so the child's
summary often came first and the signal's line was the last."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.databases import cli, sqlite_url

#: the longest any wait for the worker may take: reaching it means stuck, not slow
PATIENCE = 120.0
#: ``wfengine worker`` with the supervisor's main thread held a second after it takes a
#: stop signal (its readers go on relaying the child's lines): a child told to stop in the
#: handler (as before) logs its summary within that, before the supervisor's next look logs
#: the signal, so the old order fails every time, not two runs in three. It costs the test
#: one second. (``told`` is read first: should the name change, the worker fails, and the
#: test, rather than the test passing by chance.)
_HELD_AFTER_SIGNAL = """
import time
import wfengine.runtime.supervisor as s
told = s.Supervisor.on_signal
def on_signal(self, signum):
    told(self, signum)
    time.sleep(1.0)
s.Supervisor.on_signal = on_signal
from wfengine.cli.main import main, watch_stdout
watch_stdout()
main(prog_name="wfengine")
"""


def test_the_summary_is_the_last_line_after_sigterm(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    log = tmp_path / "worker.log"
    command = [sys.executable, "-c", _HELD_AFTER_SIGNAL, "worker", "--db", url, "--poll", "0.1"]
    with open(log, "ab") as out:
        proc = subprocess.Popen(command, stderr=out)
    try:
        deadline = time.monotonic() + PATIENCE
        while "runs jobs as" not in log.read_text():  # the child's thread is polling
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the worker's thread never started"
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=PATIENCE) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = log.read_text().splitlines()
    told = [n for n, line in enumerate(lines) if "SIGTERM: finishing the current job(s)" in line]
    assert len(told) == 1, lines
    assert "worker stopped after 0 job(s)" in lines[-1], lines[-3:]
    assert told[0] < len(lines) - 1
