"""A command whose reader stops reading (``wfengine audit ... | head -1``) exits 141, what a
shell reports for ``yes | head -1`` (128 + SIGPIPE), silently. Why: click turned the broken
pipe into exit 1, which README says means "the engine refused", and a script with
``pipefail`` could not tell the two apart."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder

#: far more than a pipe holds (64 KiB on Linux): the command is still writing when the
#: reader goes, whatever the machine's speed
STEPS = 1000
#: what a pipe holds on Linux, and a reader's buffer besides
PIPE_BYTES = 65536 + 8192


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("closed")
    db = sqlite_url(tmp)
    pb = PackageBuilder("pkg")
    p = pb.process("long")
    names = [f"step_{n}" for n in range(STEPS)]
    for name in names:
        p.activity(name)
    for before, after in itertools.pairwise(names):
        p.transition(before, after)
    done = cli("run", write(tmp, pb), "--db", db)
    assert done.exit_code == 0, done.output
    return db


def _first_line_then_close(*args: str) -> tuple[bytes, int, bytes]:
    """``wfengine ARGS`` in a process of its own whose standard output is read for one line
    and then closed, as ``| head -1`` does: that line, the exit status, what it said on
    stderr."""
    child = subprocess.Popen(
        [sys.executable, "-m", "wfengine.cli.main", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    line = child.stdout.readline()
    child.stdout.close()
    err = child.stderr.read()
    return line, child.wait(), err


@pytest.mark.parametrize("output_format", ["table", "jsonl"])
def test_a_reader_that_stops_reading_gets_141_and_no_traceback(
    url: str, output_format: str
) -> None:
    whole = cli("audit", "--db", url, "--format", output_format)
    assert whole.exit_code == 0 and len(whole.stdout_bytes) > 2 * PIPE_BYTES
    line, status, err = _first_line_then_close("audit", "--db", url, "--format", output_format)
    assert line  # the command had begun writing
    assert (status, err) == (141, b"")
