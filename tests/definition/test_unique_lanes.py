"""``wfengine convert`` of a file whose pools repeat lane Ids (XPDL 2.0 keys them nowhere,
2.2 package-wide): later pools' lanes are renamed ``ID.POOL`` and every ``LaneId`` naming
them is rewritten to the lane its pool means, so the output is schema-valid 2.2, says the
same, and converts again unchanged."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from tests.definition.repeated_lanes import PERFORMERS, REPEATED_LANES
from wfengine.cli.main import main
from wfengine.definition.io import load_xpdl
from wfengine.definition.lanes import LanePerformers
from wfengine.definition.model import Activity, Package
from wfengine.definition.unique_ids import Rename, unique_ids
from wfengine.definition.xpdl.schema import check_schema


def _lane_of(activity: Activity) -> str | None:
    return activity.graphics[0].get("LaneId")


def _convert(tmp_path: Path, source: Path, name: str) -> tuple[Path, str]:
    out = tmp_path / name
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.stderr


def _converted() -> Package:
    return unique_ids(load_xpdl(REPEATED_LANES.encode(), schema=False)).package


def test_later_pools_lanes_are_renamed_and_said_on_stderr(tmp_path: Path) -> None:
    source = tmp_path / "lanes.xpdl"
    source.write_text(REPEATED_LANES, encoding="utf-8")
    _, renames = unique_ids(load_xpdl(source))
    assert renames == (
        Rename("lane", "p2", None, "L1", "L1.pool2", pool_id="pool2"),
        Rename("lane", "p2", None, "L2", "L2.pool2", pool_id="pool2"),
    )
    _, stderr = _convert(tmp_path, source, "lanes.22.xpdl")
    assert (
        "renamed lane 'L1' of pool 'pool2' is now 'L1.pool2' (XPDL 2.2 keys it package-wide)"
        in stderr
    )


def test_every_lane_id_names_the_lane_of_its_own_pool() -> None:
    package = _converted()
    pool1, pool2 = package.pools
    assert [(lane.id, lane.parent_lane) for lane in pool1.lanes] == [("L1", None), ("L2", None)]
    assert [x.get("LaneId") for x in pool1.lanes[0].extras] == ["L2"]  # its own NestedLane
    assert [(lane.id, lane.parent_lane) for lane in pool2.lanes] == [
        ("L1.pool2", None),
        ("L2.pool2", "L1.pool2"),
    ]
    p1, p2 = package.workflow_processes
    assert _lane_of(p1.activity("a1")) == "L2"
    assert [_lane_of(p2.activity(a)) for a in ("a2", "B")] == ["L2.pool2", "L1.pool2"]
    (activity_set,) = p2.activity_sets
    assert _lane_of(activity_set.activities[0]) == "L1.pool2"
    # an artifact means the lane of the pool drawing what its association links it to; one
    # linked to nothing the first pool's, which keeps the Id
    note, loose = package.artifacts
    assert [x.get("LaneId") for x in note.iter() if x.local_name == "NodeGraphicsInfo"] == [
        "L1.pool2"
    ]
    assert [x.get("LaneId") for x in loose.iter() if x.local_name == "NodeGraphicsInfo"] == ["L1"]


def test_the_converted_file_gives_each_activity_its_own_pools_performers() -> None:
    package = _converted()
    lanes = LanePerformers(package)
    got = {
        a.id: lanes.applied(a).performers
        for p in package.workflow_processes
        for a in (*p.activities, *(x for s in p.activity_sets for x in s.activities))
        if a.id in PERFORMERS
    }
    assert got == PERFORMERS


def test_the_output_is_schema_valid_22_and_converts_again_unchanged(tmp_path: Path) -> None:
    source = tmp_path / "lanes.xpdl"
    source.write_text(REPEATED_LANES, encoding="utf-8")
    once, _ = _convert(tmp_path, source, "once.xpdl")
    assert check_schema(etree.parse(str(once)), "2.2") == []
    twice, stderr = _convert(tmp_path, once, "twice.xpdl")
    assert "renamed" not in stderr
    assert twice.read_bytes() == once.read_bytes()
