"""A Manual script task drawn in a lane that names performers is that lane's work first.

semantics.md (modes): "a TaskScript that names no performer, in itself or its lane, runs at
once". One whose lane names a performer once ran at once all the same, while the same script
with a performer of its own waited for a person.
"""

from __future__ import annotations

from tests.worklist.conftest import ORG
from tests.worklist.test_lane_performers import _node, _package
from wfengine import Engine, Organisation, VirtualClock, load_xpdl
from wfengine.definition.lanes import LanePerformers


def _script(mode: str) -> str:
    return (
        f'<Activity Id="calc"{mode}><Implementation><Task><TaskScript>'
        '<Script>department = "done"</Script></TaskScript></Task></Implementation>'
        f"{_node('sales')}</Activity>"
    )


def _run(activity: str) -> tuple[list[str], list[tuple[str, ...]], object]:
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as e:
        e.deploy(load_xpdl(_package(activity), schema=False))
        iid = e.start_process("p")
        items = [item.performers for item in e.work_items(iid)]
        return e.trace(iid), items, e.instance(iid).data["department"]


def test_a_manual_script_task_in_a_lane_with_performers_waits_for_them() -> None:
    trace, items, department = _run(_script(' StartMode="Manual" FinishMode="Manual"'))
    assert items == [("clerk",)]  # offered to the lane's clerks, not run at once
    assert trace == [] and department is None


def test_a_script_task_in_a_lane_without_modes_still_runs_at_once() -> None:
    trace, items, department = _run(_script(""))
    assert (trace, items, department) == (["calc"], [], "done")


def test_show_gives_a_script_task_its_lanes_performers() -> None:
    package = load_xpdl(_package(_script(' StartMode="Manual"')), schema=False)
    [process] = package.workflow_processes
    [calc] = process.activities
    shown, lane = LanePerformers(package).shown(calc)
    assert (shown.performers, lane) == (("clerk",), "sales")
