"""Fixtures shared by the agents' tests."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def child_pid_file(tmp_path: Path) -> Iterator[Path]:
    """Where a program under test writes its background child's pid; the child is killed
    afterwards (a subprocess agent's program that leaves a child holding its pipes)."""
    path = tmp_path / "child.pid"
    yield path
    if path.exists() and (text := path.read_text().strip()):
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(text), signal.SIGKILL)
