"""``wfengine show`` says what decides a Complex join: its ``IncomingCondition`` and whether
``wfengine:cancelRemaining`` makes it cancelling (and, on a multi-instance activity, whether
the mark cancels the instances left). Before, every Complex join read ``join Complex`` (JSON
``"join": "Complex"``): a discriminator, a partial join, a cancelling one and one with no
condition (which waits as an Inclusive join) looked alike, though those two facts alone tell
WCP9, WCP28-32 and WCP41 apart."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from tests.cli.documents import REPO_ROOT
from wfengine import PackageBuilder, dump_xpdl, multi_instance
from wfengine.cli.main import main
from wfengine.definition.model import GatewayType, Join

_CANCEL = {"wfengine:cancelRemaining": "true"}


def _file(tmp_path: Path) -> Path:
    """Three parallel branches into each kind of Complex join, and two MI activities."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.route("s", gateway="Parallel")
    joins = {
        "disc": (Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= 1"), None),
        "part": (Join(type=GatewayType.COMPLEX, incoming_condition="arrived >= 2"), _CANCEL),
        "bare": (Join(type=GatewayType.COMPLEX), None),
    }
    p.route("fan", gateway="Parallel")
    p.transition("s", "fan")
    for join_id, (join, extended) in joins.items():
        for b in ("1", "2", "3"):
            p.activity(f"{join_id}{b}", performer="clerk").transition("fan", f"{join_id}{b}")
        p.activity(join_id, join=join, extended=extended)
        for b in ("1", "2", "3"):
            p.transition(f"{join_id}{b}", join_id)
    p.activity("any", performer="clerk", loop=multi_instance("3", flow="One"), extended=_CANCEL)
    p.activity("all", performer="clerk", loop=multi_instance("3"))
    p.transition("s", "any").transition("s", "all")
    path = tmp_path / "complex.xpdl"
    path.write_bytes(dump_xpdl(pb.build()))
    return path


def _show(path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["show", *args, str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_text_says_what_decides_each_complex_join(tmp_path: Path) -> None:
    rows = {line.split()[0]: line.strip() for line in _show(_file(tmp_path)).splitlines()}
    assert rows["disc"] == "disc  [none]  join Complex (arrived >= 1, blocking)"
    assert rows["part"] == "part  [none]  join Complex (arrived >= 2, cancelling)"
    assert rows["bare"] == "bare  [none]  join Complex (no condition: waits as an Inclusive join)"
    assert rows["any"].endswith("multi-instance Parallel, count 3, flow One, cancelling the rest")
    assert rows["all"].endswith("multi-instance Parallel, count 3, flow All")
    assert rows["disc1"] == "disc1  [manual]  by clerk"


def test_the_json_adds_join_condition_and_cancel_remaining(tmp_path: Path) -> None:
    (process,) = json.loads(_show(_file(tmp_path), "--json"))["processes"]
    found = {
        a["id"]: (a["join"], a["join_condition"], a["cancel_remaining"])
        for a in process["activities"]
    }
    assert found["disc"] == ("Complex", "arrived >= 1", False)
    assert found["part"] == ("Complex", "arrived >= 2", True)
    assert found["bare"] == ("Complex", None, False)
    assert found["any"] == (None, None, True)
    assert found["all"] == (None, None, False)
    # null for an activity neither a Complex join nor multi-instance
    assert found["disc1"] == (None, None, None)


def test_a_route_s_own_incoming_condition_is_shown_as_the_engine_reads_it(
    tmp_path: Path,
) -> None:
    # XPDL 2.1 and 2.2 write a Complex gateway's condition on the Route element
    path = _file(tmp_path)
    text = path.read_text(encoding="utf-8")
    written = re.compile(
        r'(<Activity Id="disc">\s*)<Implementation>\s*<No/>\s*</Implementation>\s*'
        r"<TransitionRestrictions>.*?</TransitionRestrictions>",
        re.DOTALL,
    )
    route = '<Route GatewayType="Complex" IncomingCondition="arrived &gt;= 1"/>'
    text, n = written.subn(lambda m: m.group(1) + route, text)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    rows = {line.split()[0]: line.strip() for line in _show(path).splitlines()}
    assert rows["disc"] == "disc  [route: Complex]  join Complex (arrived >= 1, blocking)"
    (process,) = json.loads(_show(path, "--json"))["processes"]
    (disc,) = [a for a in process["activities"] if a["id"] == "disc"]
    assert (disc["join_condition"], disc["cancel_remaining"]) == ("arrived >= 1", False)


def test_readme_s_show_row_names_the_new_keys() -> None:
    row = next(
        line
        for line in (REPO_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `wfengine show FILE")
    )
    assert "`join_condition`" in row and "`cancel_remaining`" in row
