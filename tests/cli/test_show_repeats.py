"""``wfengine show`` says what runs more than once or apart: a Standard loop (condition, test
time, maximum), a multi-instance activity (ordering, count, flow condition), an asynchronous
subflow, and an event sub-process (an activity set its start event's trigger starts). Before,
a looping or multi-instance activity read ``[manual] by clerk`` like any other, and an event
sub-process as a plain activity set."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wfengine import PackageBuilder, dump_xpdl, multi_instance, standard_loop
from wfengine.cli.main import main


def _file(tmp_path: Path) -> Path:
    b = PackageBuilder("ev")
    b.participant("clerk")
    p = b.process("p")
    p.data_field("n", "INTEGER", initial="0")
    es = p.activity_set("on_cancel", triggered_by_event=True)
    es.start("cs", message="cancel").activity("undo", performer="clerk").end("ce")
    es.sequence("cs", "undo", "ce")
    p.start("s")
    p.activity("review", performer="clerk", loop=standard_loop("n < 3", maximum=5))
    p.activity("sign", performer="clerk", loop=multi_instance("3", ordering="Sequential"))
    p.subflow("notify", process="child", execution="ASYNCHR")
    p.block("handler", activity_set="on_cancel").end("e")
    p.sequence("s", "review", "sign", "notify", "e")
    c = b.process("child")
    c.start("x").end("y").sequence("x", "y")
    path = tmp_path / "evsub.xpdl"
    path.write_bytes(dump_xpdl(b.build()))
    return path


def _show(path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["show", *args, str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_text_says_what_runs_more_than_once_or_apart(tmp_path: Path) -> None:
    rows = {line.split()[0]: line.strip() for line in _show(_file(tmp_path)).splitlines()}
    assert (
        rows["review"] == "review  [manual]  by clerk  loop while n < 3 (tested After, at most 5)"
    )
    assert rows["sign"] == "sign  [manual]  by clerk  multi-instance Sequential, count 3, flow All"
    assert rows["notify"] == "notify  [subflow: child]  asynchronous"
    assert "Activity set on_cancel  event sub-process, started by Message, interrupting" in (
        _show(_file(tmp_path))
    )


def test_the_json_adds_loop_execution_and_event_subprocess(tmp_path: Path) -> None:
    process = json.loads(_show(_file(tmp_path), "--json"))["processes"][0]
    acts = {a["id"]: a for a in process["activities"]}
    assert acts["review"]["loop"] == {
        "kind": "standard",
        "condition": "n < 3",
        "test_time": "After",
        "maximum": 5,
    }
    assert acts["sign"]["loop"] == {
        "kind": "multi_instance",
        "ordering": "Sequential",
        "count": "3",
        "flow_condition": "All",
        "complex_flow_condition": None,
    }
    assert acts["notify"]["execution"] == "ASYNCHR" and acts["notify"]["loop"] is None
    assert acts["review"]["execution"] is None
    (aset,) = process["activity_sets"]
    assert (aset["event_subprocess"], aset["trigger"], aset["interrupting"]) == (
        True,
        "Message",
        True,
    )
