"""``unique_ids``: what ``wfengine convert`` renames so XPDL 2.2's package-wide keys hold.

XPDL 2.1 and 1.0 key activity and transition Ids per process, 2.2 package-wide. The rename
gives later holders new Ids, rewrites every reference to them, and changes nothing else: the
converted package validates against the 2.2 schema and runs as the original did.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from tests.cli.documents import ORDER_FULFILMENT
from tests.definition.repeated_ids import REPEATED_IDS
from wfengine.cli.main import main
from wfengine.definition.io import dump_xpdl, load_xpdl
from wfengine.definition.model import (
    BlockActivity,
    Event,
    ReferenceImplementation,
    SubFlowImplementation,
)
from wfengine.definition.unique_ids import Rename, unique_ids
from wfengine.definition.xpdl.schema import check_schema


def _write(tmp_path: Path, text: str = REPEATED_IDS) -> Path:
    path = tmp_path / "repeated.xpdl"
    path.write_text(text, encoding="utf-8")
    return path


def test_later_holders_of_a_repeated_id_get_their_scope_appended(tmp_path: Path) -> None:
    _, renames = unique_ids(load_xpdl(_write(tmp_path)))
    assert renames == (
        Rename("activity", "p2", "S", "A", "A.S"),
        Rename("activity", "p2", None, "start", "start.p2"),
        Rename("activity", "p2", None, "A", "A.p2"),
        Rename("activity", "p2", None, "end", "end.p2"),
        Rename("transition", "p2", None, "t1", "t1.p2"),
        Rename("transition", "p2", None, "t2", "t2.p2"),
        Rename("transition", "p2", None, "t3", "t3.p2"),
    )
    assert renames[0].describe() == "activity 'A' of activity set 'S' of process 'p2' is now 'A.S'"


def test_every_reference_names_the_renamed_element(tmp_path: Path) -> None:
    package, _ = unique_ids(load_xpdl(_write(tmp_path)))
    p1, p2 = package.workflow_processes
    assert [a.id for a in p1.activities] == ["start", "A", "call", "end"]
    assert [(t.id, t.from_, t.to) for t in p2.transitions] == [
        ("t1.p2", "start.p2", "A.p2"),
        ("t2.p2", "A.p2", "B"),
        ("t3.p2", "A.p2", "end.p2"),
        ("t4", "B", "end.p2"),
        ("t5", "watch", "again"),
        ("t6", "again", "end.p2"),
    ]
    split = p2.activity("A.p2").split
    assert split is not None and split.transition_refs == ("t2.p2", "t3.p2")
    (activity_set,) = p2.activity_sets
    assert [a.id for a in activity_set.activities] == ["A.S"]
    assert activity_set.default_start_activity_id == "A.S"
    block = p2.activity("B")
    assert isinstance(block.body, BlockActivity) and block.body.start_activity_id == "A.S"
    # a performer rule names the holder the engine's rule reads: its own scope's (the top
    # level's A here); a process-wide reference to an Id the process holds twice names the
    # one the compiler picks for it: the last of the top level, then the activity sets
    assert block.extended_attribute("AssignToPerformerOfActivity") == "A.p2"
    reference = p2.activity("again").body
    assert isinstance(reference, ReferenceImplementation) and reference.activity_id == "A.S"
    event = p2.activity("watch").body
    assert isinstance(event, Event) and event.target == "A.p2"
    call = p1.activity("call").body
    assert isinstance(call, SubFlowImplementation) and call.start_activity_id == "A.p2"


def test_a_process_wide_reference_follows_an_activity_its_process_holds_once(
    tmp_path: Path,
) -> None:
    text = REPEATED_IDS.replace(
        '<Activities><Activity Id="A"><Route/></Activity></Activities>',
        '<Activities><Activity Id="inner"><Route/></Activity></Activities>',
    ).replace('DefaultStartActivityId="A"', 'DefaultStartActivityId="inner"')
    text = text.replace('ActivitySetId="S" StartActivityId="A"', 'ActivitySetId="S"')
    package, _ = unique_ids(load_xpdl(_write(tmp_path, text)))
    p2 = package.process("p2")
    assert p2.activity("B").extended_attribute("AssignToPerformerOfActivity") == "A.p2"
    reference = p2.activity("again").body
    assert isinstance(reference, ReferenceImplementation) and reference.activity_id == "A.p2"


def test_the_renamed_package_is_schema_valid_xpdl_22(tmp_path: Path) -> None:
    original = load_xpdl(_write(tmp_path))
    plain = etree.fromstring(dump_xpdl(original)).getroottree()
    assert any("package" in d.message.lower() for d in check_schema(plain, "2.2"))
    renamed = etree.fromstring(dump_xpdl(unique_ids(original).package)).getroottree()
    assert check_schema(renamed, "2.2") == []


def test_dump_xpdl_keeps_repeated_ids_as_they_are(tmp_path: Path) -> None:
    original = load_xpdl(_write(tmp_path))
    again = load_xpdl(dump_xpdl(original))
    assert again == original
    assert [a.id for a in again.process("p2").activities][:2] == ["start", "A"]


def test_a_package_without_clashes_is_returned_unchanged() -> None:
    package = load_xpdl(ORDER_FULFILMENT)
    same, renames = unique_ids(package)
    assert renames == () and same is package
    assert dump_xpdl(same) == dump_xpdl(package)


def test_the_converted_package_runs_the_same_way(tmp_path: Path) -> None:
    source = _write(tmp_path)
    converted = tmp_path / "converted.xpdl"
    assert CliRunner().invoke(main, ["convert", str(source), "-o", str(converted)]).exit_code == 0
    traces = {}
    for process in ("p1", "p2"):
        before = _run(source, process)
        after = _run(converted, process)
        assert after["state"] == before["state"] == "closed.completed"
        assert after["data"] == before["data"]
        traces[process] = (before["trace"], after["trace"])
    assert traces["p2"] == (
        ["start", "A", "A", "B", "end"],
        ["start.p2", "A.p2", "A.S", "B", "end.p2"],
    )
    # p1's subflow starts p2 at its top-level A, under either Id
    assert traces["p1"][0] == traces["p1"][1]


def _run(path: Path, process: str) -> dict[str, object]:
    import json

    result = CliRunner().invoke(main, ["run", str(path), "--process", process, "--json"])
    assert result.exit_code == 0, result.output
    found: dict[str, object] = json.loads(result.stdout)
    return found
