"""A program that failed (a non-zero exit) while a child it started held its stderr open lost
the end of its stderr, in about one call of eight: the call settled on its exit status in the
tick that saw the exit, before reading what that tick's select found on stderr, so the
message said "exited with status 3: " and nothing of why."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.applications.agents import subprocess_agent
from wfengine.applications.agents.subprocesses import ProcessFailedError

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


def test_the_end_of_its_stderr_is_in_the_message_every_time() -> None:
    # (repeated: the lost tail depended on which tick saw the exit; the child's `sleep` ends
    # by itself and holds the pipes past each call)
    call = subprocess_agent(["/bin/sh", "-c", "sleep 2 & echo 'disk full' >&2; exit 3"])
    messages = set()
    for _ in range(40):
        with pytest.raises(ProcessFailedError) as failed:
            call()
        messages.add(str(failed.value))
    assert messages == {"/bin/sh exited with status 3: disk full"}
