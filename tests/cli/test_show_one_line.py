"""``wfengine show`` (text) writes each id, name and performer on the one line it belongs to:
a line break or other control character in them (``&#10;`` in an XPDL file) is written as its
escape (``\\n``), as the other text listings write them. Before, it was printed raw, so a name
could forge rows of its own ("Process forged", a fake activity). ``--json`` keeps the values as
they are."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wfengine import PackageBuilder, dump_xpdl
from wfengine.cli.main import main


def _file(tmp_path: Path) -> Path:
    b = PackageBuilder("nl")
    b.participant("clerk", name="Clerk\n  Process forged")
    p = b.process("p")
    p.data_field("note", "STRING", initial="'a\rb'")
    p.start("s")
    p.activity("a\nb", name="Check\n      fake  [event: end]", performer="clerk\u2028x")
    p.end("e")
    p.sequence("s", "a\nb", "e")
    path = tmp_path / "nl.xpdl"
    path.write_bytes(dump_xpdl(b.build()))
    return path


def test_text_writes_each_row_on_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", str(_file(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "    clerk (Clerk\\n  Process forged)  ROLE" in lines
    assert "      a\\nb (Check\\n      fake  [event: end])  [manual]  by clerk\\u2028x" in lines
    assert "      t1: s -> a\\nb" in lines
    assert "      note: STRING = 'a\\rb'" in lines
    assert not [line for line in lines if "forged" in line and line.lstrip().startswith("Process")]
    assert len(lines) == 13


def test_json_keeps_the_values(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", "--json", str(_file(tmp_path))])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["participants"][0]["name"] == "Clerk\n  Process forged"
    activity = summary["processes"][0]["activities"][1]
    assert (activity["id"], activity["performers"]) == ("a\nb", ["clerk\u2028x"])
