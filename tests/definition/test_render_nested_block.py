"""A block activity inside an activity set is joined to the set it runs by a dotted edge, as
a top-level block is (process_to_dot's promise); it was drawn without one."""

from __future__ import annotations

from wfengine.definition.model import Activity, ActivitySet, BlockActivity, WorkflowProcess
from wfengine.definition.render import process_to_dot


def test_a_block_inside_an_activity_set_is_linked_to_the_set_it_runs() -> None:
    outer = ActivitySet(
        id="s1",
        activities=(Activity(id="x1"), Activity(id="x2", body=BlockActivity(activity_set_id="s2"))),
    )
    inner = ActivitySet(id="s2", activities=(Activity(id="y1"), Activity(id="y2")))
    process = WorkflowProcess(
        id="p",
        activities=(Activity(id="edge", body=BlockActivity(activity_set_id="s1")),),
        activity_sets=(outer, inner),
    )
    dot = process_to_dot(process)
    assert '"edge" -> "s1/x1" [style="dotted", arrowhead="open"];' in dot
    assert '"s1/x2" -> "s2/y1" [style="dotted", arrowhead="open"];' in dot
