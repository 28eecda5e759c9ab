"""``wfengine run`` on hostile definitions returns, with an incident, instead of hanging.

Before the value-size bounds, the red team's 96-character condition made ``wfengine run`` spin
in one C call for ever (ignoring Ctrl-C), and a 29-character initial value took a gigabyte.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, write
from wfengine.definition.builder import PackageBuilder

#: compares two nested repetitions: 99**9 elements to walk if nothing bounds it
EXPONENTIAL = (
    "[[[[[[[[[[1.0]*99]*99]*99]*99]*99]*99]*99]*99]*99] == "
    "[[[[[[[[[[1]*99]*99]*99]*99]*99]*99]*99]*99]*99]"
)


def test_an_exponential_condition_is_an_incident_not_a_hang(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("decide", gateway="Exclusive").activity("yes").activity("no")
    p.transition("decide", "yes", condition=EXPONENTIAL).transition("decide", "no", otherwise=True)
    result = cli("run", write(tmp_path, pb), "--json")
    assert result.exit_code == 3, result.output
    [incident] = json.loads(result.stdout)["incidents"]
    assert "larger than its budget allows" in incident["error"]


def test_a_memory_bomb_initial_value_is_refused(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("bomb", "INTEGER", initial="[[[[[1]*100]*100]*100]*100]")
    p.activity("a")
    result = cli("run", write(tmp_path, pb), "--json")
    # the initial value is not an INTEGER either: validation refuses the process outright
    assert result.exit_code == 1
    assert "initial-value-type" in result.output or "budget" in result.output
