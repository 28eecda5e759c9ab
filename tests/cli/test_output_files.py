"""A command's output file (``-o``) respects what is there as a shell's ``>`` would: an
existing file keeps its permissions, a symbolic link is written through and kept, a named
pipe or a stream of the process is written to directly (never read first, never replaced),
and the file being written has a name no one can plant a link at, private until complete."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.documents import LEAVE_REQUEST
from wfengine.cli.exit_status import InputOutputError
from wfengine.cli.loading import output_file, write_output
from wfengine.cli.main import main


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_existing_file_keeps_its_permissions(tmp_path: Path, umask_022: None) -> None:
    out = tmp_path / "leave.dot"
    out.write_text("old")
    out.chmod(0o600)
    result = CliRunner().invoke(main, ["render", str(LEAVE_REQUEST), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("digraph")
    assert _mode(out) == 0o600


def test_a_new_file_gets_the_umasks_mode(tmp_path: Path, umask_022: None) -> None:
    out = tmp_path / "new.dot"
    write_output(str(out), b"digraph {}\n")
    assert _mode(out) == 0o644


def test_a_symbolic_link_is_written_through_and_kept(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "leave.dot"
    real.write_text("")
    link = tmp_path / "latest.dot"
    link.symlink_to(Path("real") / "leave.dot")
    write_output(str(link), b"digraph {}\n")
    assert link.is_symlink() and real.read_bytes() == b"digraph {}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.dot", "real"]


def test_a_link_to_a_database_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "wf.db"
    sqlite3.connect(database).execute("create table t (x)").connection.close()
    size = database.stat().st_size
    link = tmp_path / "trail.csv"
    link.symlink_to(database)
    with pytest.raises(InputOutputError, match="it is a SQLite database"):
        write_output(str(link), b"a,b\n")
    assert database.stat().st_size == size and link.is_symlink()


def test_a_named_pipe_is_written_to_never_read_nor_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.dot"
    os.mkfifo(pipe)
    # opened for reading and writing: the pipe has a reader (so opening it to write does not
    # wait) and a writer (so reading it first would not wait either, but take these bytes)
    fd = os.open(pipe, os.O_RDWR | os.O_NONBLOCK)
    try:
        os.write(fd, b"already waiting\n")
        write_output(str(pipe), b"digraph {}\n")
        assert stat.S_ISFIFO(pipe.lstat().st_mode)
        assert os.read(fd, 1000) == b"already waiting\ndigraph {}\n"
    finally:
        os.close(fd)


def test_a_descriptor_of_the_process_is_written_to_not_replaced(tmp_path: Path) -> None:
    kept = tmp_path / "kept.txt"
    with kept.open("wb") as held:
        write_output(f"/dev/fd/{held.fileno()}", b"through the descriptor\n")
    assert kept.read_bytes() == b"through the descriptor\n"
    read_end, write_end = os.pipe()
    try:
        write_output(f"/dev/fd/{write_end}", b"down the pipe\n")
        assert os.read(read_end, 100) == b"down the pipe\n"
    finally:
        os.close(read_end)
        os.close(write_end)


def test_the_file_being_written_is_private_and_its_name_cannot_be_planted(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.dot"
    victim = tmp_path / "victim"
    victim.write_text("mine")
    # the name the temporary file once had, predictable from the process id
    (tmp_path / f".out.dot.{os.getpid()}.tmp").symlink_to(victim)
    with output_file(str(out), binary=True) as stream:
        stream.write(b"digraph {}\n")
        [partial] = [
            p for p in tmp_path.iterdir() if p.name.startswith(".out.dot.") and not p.is_symlink()
        ]
        assert _mode(partial) == 0o600
    assert victim.read_text() == "mine"
    assert out.read_bytes() == b"digraph {}\n" and not out.is_symlink()
