"""``render`` draws an activity with the performers it runs with: one that names no performer
and is drawn in a pool lane that names some sits in its lane's performer's swimlane and is
marked as a person's work, as the engine offers it to them; a route or event in a lane, and an
activity's own performer, are drawn as before."""

from __future__ import annotations

import re

from tests.definition.lane_package import lane_package
from wfengine.definition.render import package_to_dot, process_to_dot


def _swimlanes(dot: str) -> dict[str, list[str]]:
    """Swimlane label -> the nodes drawn in it."""
    found: dict[str, list[str]] = {}
    for label, body in re.findall(
        r'subgraph "cluster_lane_\d+" \{\n\s*graph \[label="([^"]*)"\];\n(.*?)\n\s*\}', dot, re.S
    ):
        found[label] = re.findall(r'^\s*"([^"]+)" \[', body, re.M)
    return found


def _node_line(dot: str, node_id: str) -> str:
    return next(line for line in dot.splitlines() if line.strip().startswith(f'"{node_id}" ['))


def test_activities_sit_in_the_swimlane_of_the_performers_their_lane_gives_them() -> None:
    dot = package_to_dot(lane_package())
    assert _swimlanes(dot) == {
        "Clerk": ["enter"],
        "Manager": ["own", "ref", "approve"],
        "accountant": ["ref2"],
    }
    # a person's work, not a pass-through step
    assert 'label="Enter\\n[manual]"' in _node_line(dot, "enter")
    assert 'tooltip="enter (manual)"' in _node_line(dot, "enter")
    assert 'tooltip="approve (manual)"' in _node_line(dot, "approve")
    # a route and the events in a lane wait for nobody: in no swimlane
    for free in ("start", "gate", "end"):
        assert _node_line(dot, free).startswith(f'  "{free}"')


def test_without_the_package_the_lanes_are_unknown_and_activities_drawn_as_written() -> None:
    package = lane_package()
    dot = process_to_dot(package.process("p"))
    assert _swimlanes(dot) == {"manager": ["own"]}
    assert 'tooltip="enter (none)"' in _node_line(dot, "enter")
