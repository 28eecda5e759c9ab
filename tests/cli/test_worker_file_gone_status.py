"""The worker process of ``wfengine worker`` and its SQLite file deleted while it runs: exit
status 2 (the database cannot be used).

Its threads stop on the file's going with a ``StoreError`` naming the file; the worker process
took that for a refusal of the workflow and exited 1, and when it ended before its supervisor's
look at the file (once a second), ``wfengine worker`` passed that 1 on. Now it exits 2.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.databases import automatic, cli, sqlite_url, write

#: an application that deletes the database file (an operator's mistake while a job runs)
DELETING_APPS = """
import os
def register(registry):
    def add(v):
        os.remove({path!r})
        return {{"v": v + 1}}
    registry.register("add", add)
"""


def _worker_process(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[bytes]:
    """Run the worker process ``wfengine worker`` starts (the supervisor is this process), as
    its supervisor does, until it ends."""
    url = sqlite_url(tmp_path)
    apps = tmp_path / "deleting_apps.py"
    apps.write_text(DELETING_APPS.format(path=str(tmp_path / "wf.db")))
    started = cli("instance", "start", write(tmp_path, automatic()), "--db", url)
    assert started.exit_code == 0, started.output
    read_fd, write_fd = os.pipe()
    command = [sys.executable, "-P", "-m", "wfengine.cli.main", "worker", "--apps", str(apps)]
    command += ["--supervised-fd", str(write_fd), "--supervisor-pid", str(os.getpid())]
    try:
        proc = subprocess.Popen(
            [*command, *options],
            stdin=subprocess.PIPE,  # held open: its end would tell the worker to stop
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(write_fd,),
            env={**os.environ, "WFENGINE_DB": url},
        )
    finally:
        os.close(write_fd)
    with os.fdopen(read_fd, "rb") as events:
        events.read()  # (its job events) until it ends
    _, stderr = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, b"", stderr)


@pytest.mark.parametrize("options", [(), ("--until-idle",)], ids=["running", "until-idle"])
def test_the_worker_process_exits_2_when_its_file_is_deleted(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    ended = _worker_process(tmp_path, *options)
    stderr = ended.stderr.decode()
    assert ended.returncode == 2, stderr
    assert f"database file {tmp_path / 'wf.db'} was deleted" in stderr
    assert not (tmp_path / "wf.db").exists()  # no new, empty one made in its place
