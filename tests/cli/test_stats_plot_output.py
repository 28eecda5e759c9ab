"""``wfengine stats --plot OUT`` writes its figure as ``--diagram`` and ``-o`` write a file: a
SQLite database named as OUT by mistake is refused (exit 2) and left as it was (matplotlib
wrote straight over it), and the figure is written aside and renamed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from tests.cli.documents import LEAVE_REQUEST

pytest.importorskip("matplotlib", reason="--plot needs matplotlib (the plots extra)")


def _kept(path: Path) -> bytes:
    """A SQLite database at ``path`` (a name a figure could have), its bytes."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kept (x)")
        db.execute("INSERT INTO kept VALUES (1)")
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize("name", ["times.png", "times.svg"])
def test_a_plot_over_a_sqlite_database_is_refused_and_leaves_it(tmp_path: Path, name: str) -> None:
    url = sqlite_url(tmp_path)
    assert cli("instance", "start", str(LEAVE_REQUEST), "--db", url).exit_code == 0
    target = tmp_path / name
    before = _kept(target)
    out = cli("stats", "--db", url, "--process", "request_leave", "--plot", str(target))
    assert out.exit_code == 2, out.output
    assert f"cannot write {target}: it is a SQLite database" in out.stderr
    assert target.read_bytes() == before
    drawn = cli(
        "stats", "--db", url, "--process", "request_leave", "--plot", str(tmp_path / "t.svg")
    )
    assert drawn.exit_code == 0, drawn.output
    assert b"<svg" in (tmp_path / "t.svg").read_bytes()
