"""``wfengine show`` prints a transition's condition where conditions go (``[...]``) and its
Name apart (``(name: No)``). Before, a Name with no condition printed as ``[No]``, the same as
the condition ``No``, though the two run differently: a Name is a label the engine never
tests (JaWE names every transition ``Transition``)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl


def _file(tmp_path: Path) -> Path:
    b = PackageBuilder("pkg")
    p = b.process("p")
    p.start("s").route("ok", gateway="Exclusive").activity("pay").activity("reject").end("e")
    p.sequence("s", "ok")
    p.transition("ok", "reject", name="No")  # a name only: always taken
    p.transition("ok", "pay", condition="amount > 5", name="Yes")
    p.transition("ok", "e", condition="No")  # a condition only
    p.transition("pay", "e").transition("reject", "e")
    path = tmp_path / "named.xpdl"
    path.write_bytes(dump_xpdl(b.build()))
    return path


def _rows(out: str) -> dict[str, str]:
    rows = [line.strip() for line in out.splitlines() if " -> " in line]
    return {row.split(" -> ")[1].split()[0]: row.split(": ", 1)[1] for row in rows if ": " in row}


def test_a_name_is_shown_apart_from_the_condition(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", str(_file(tmp_path))])
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert rows["reject"] == "ok -> reject  (name: No)"
    assert rows["pay"] == "ok -> pay  [amount > 5]  (name: Yes)"
    assert "ok -> e  [No]" in result.output
    assert "[Yes]" not in result.output and "[No]" in result.output


def test_the_json_keeps_name_and_condition_as_they_were(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", "--json", str(_file(tmp_path))])
    transitions = json.loads(result.output)["processes"][0]["transitions"]
    named = next(t for t in transitions if t["to"] == "reject")
    assert named["name"] == "No" and named["condition"] is None
    assert set(named) == {"id", "from", "to", "name", "condition_type", "condition"}


def test_a_long_condition_is_shown_whole(tmp_path: Path) -> None:
    # two conditions that differ only after 48 characters, where render's edge labels cut
    low = 'amount > 500 and region != "EU" and region != "UK" and amount < 10000'
    high = 'amount > 500 and region != "EU" and region != "UK" and amount >= 10000'
    b = PackageBuilder("pkg")
    p = b.process("p")
    p.start("s").route("gw", gateway="Exclusive").activity("a").activity("b").end("e")
    p.sequence("s", "gw").transition("gw", "a", condition=low).transition("gw", "b", condition=high)
    p.transition("a", "e").transition("b", "e")
    path = tmp_path / "long.xpdl"
    path.write_bytes(dump_xpdl(b.build()))
    result = CliRunner().invoke(main, ["show", str(path)])
    assert f"gw -> a  [{low}]" in result.output
    assert f"gw -> b  [{high}]" in result.output
