"""``wfengine show`` says who works on an activity as the engine runs it: an activity that
names no performer and is drawn in a pool lane that names some is the lane's performers' work
(XPDL 2.x tools mean the lane as the role), and ``show`` says so and from which lane, in text
and JSON; an activity's own performers print as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import conformance_root
from tests.definition.lane_package import EXPECTED, XPDL, lane_package
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, VirtualClock
from wfengine.cli.main import main
from wfengine.cli.show_view import package_summary


def _show(tmp_path: Path, *args: str) -> str:
    path = tmp_path / "lanes.xpdl"
    path.write_text(XPDL, encoding="utf-8")
    result = CliRunner().invoke(main, ["show", *args, str(path)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_text_says_who_works_on_an_activity_and_which_lane_gives_them(tmp_path: Path) -> None:
    rows = {line.split()[0]: line.strip() for line in _show(tmp_path).splitlines()[5:13]}
    assert rows["enter"] == "enter (Enter)  [manual]  by clerk (lane sales)"
    assert rows["approve"] == "approve (Approve)  [manual]  by manager (lane managers)"
    assert rows["ref2"] == "ref2  [reference: enter]  by accountant (lane outside)"
    # its own performer (or the referenced activity's) wins, printed as always
    assert rows["own"] == "own (Own)  [manual]  by manager"
    assert rows["ref"] == "ref  [reference: own]  by manager"
    # a route or an event in a lane waits for nobody
    assert rows["gate"] == "gate  [route: Exclusive]"
    assert rows["start"] == "start  [event: start]"


def test_json_gives_the_performers_and_the_lane_they_come_from(tmp_path: Path) -> None:
    (process,) = json.loads(_show(tmp_path, "--json"))["processes"]
    found = {a["id"]: (tuple(a["performers"]), a["performer_lane"]) for a in process["activities"]}
    assert found == EXPECTED
    enter = next(a for a in process["activities"] if a["id"] == "enter")
    assert enter["kind"] == "manual"  # not "none": it waits for a clerk
    assert set(enter) == {
        "id",
        "name",
        "kind",
        "detail",
        "performers",
        "performer_lane",
        "join",
        "split",
        "attached_to",
        "interrupting",
        "loop",
        "execution",
        "join_condition",
        "cancel_remaining",
    }


def test_what_show_says_is_what_the_engine_offers() -> None:
    package = lane_package()
    (process,) = package_summary(package)["processes"]
    said = {a["id"]: tuple(a["performers"]) for a in process["activities"] if a["performers"]}
    offered: dict[str, tuple[str, ...]] = {}
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as e:
        e.deploy(package)
        iid = e.start_process("p")
        while items := e.work_items(iid):
            (item,) = items
            offered[item.activity_id] = item.performers
            e.complete_work_item(item.id, user=item.assignees[0])
        assert e.instance(iid).state.value == "closed.completed"
    assert offered == said


def test_the_nested_lanes_sample_shows_each_activity_by_its_lane() -> None:
    root = conformance_root()
    path = root / "xpdl" / "jawe" / "xpdl2.1" / "NestedLanes_nested_lanes.xpdl" if root else None
    if path is None or not path.exists():
        pytest.skip("the conformance corpus is not checked out")
    result = CliRunner().invoke(main, ["show", str(path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert (
        "accumulate_requirements (Accumulate Requirements)  [manual]  "
        "by pre-sales (lane nested_lanes_pool1_lan3)"
    ) in out
    assert (
        "develop_patch (Develop Patch)  [manual]  by engineering (lane nested_lanes_pool1_lan6)"
        in out
    )
    assert "[none]" not in out
