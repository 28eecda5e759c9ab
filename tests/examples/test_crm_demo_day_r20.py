"""``wfengine demo crm`` as a user redirecting it meets it: nothing on stderr but errors (a
progress bar is for a terminal; redirected, click wrote its label, a stray ``complaints``
line), a working day (the clock's default day, 2000-01-01, is a Saturday, and the report
read "from Sat 09:00"), and the picture beside the database the user named (it went to a new
temporary folder per run, never removed)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.databases import cli


def test_a_redirected_demo_on_a_named_database(tmp_path: Path) -> None:
    result = cli("demo", "crm", "--complaints", "3", "--db", f"sqlite:///{tmp_path / 'day1.db'}")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    first = result.stdout.splitlines()[0]
    day = re.match(r"\d+ complaints from (\w{3}) 09:00", first)
    assert day is not None, first
    assert day.group(1) in {"Mon", "Tue", "Wed", "Thu", "Fri"}
    drawn = result.stdout.split("drawn: ", 1)[1].split("\n", 1)[0]
    assert Path(drawn) == tmp_path / "day1.db.png"
    assert Path(drawn).read_bytes()[:4] == b"\x89PNG"


def test_the_picture_overwrites_no_file_beside_the_database(tmp_path: Path) -> None:
    # a user's own day1.db.png was overwritten; a database named big.png was drawn over
    mine = tmp_path / "day1.db.png"
    mine.write_text("my own picture")
    result = cli("demo", "crm", "--complaints", "2", "--db", f"sqlite:///{tmp_path / 'day1.db'}")
    assert result.exit_code == 0, result.output
    assert mine.read_text() == "my own picture"
    drawn = Path(result.stdout.split("drawn: ", 1)[1].split("\n", 1)[0])
    assert drawn.parent != tmp_path and drawn.read_bytes()[:4] == b"\x89PNG"
