"""``render`` says a route's join when it differs from its split (an XPDL 1.0 or bare Route:
AND-join, XOR-split), as ``show`` does; before, the diamond read ``Exclusive`` and the engine
AND-joined."""

from __future__ import annotations

from wfengine.definition.model import Activity, GatewayType, Join, Route, Split, WorkflowProcess
from wfengine.definition.render import process_to_dot


def _gw_line(*activities: Activity) -> str:
    dot = process_to_dot(WorkflowProcess(id="p", activities=activities))
    return next(line for line in dot.splitlines() if line.strip().startswith('"gw" ['))


def test_an_and_join_xor_split_route_names_both() -> None:
    gw = Activity(
        id="gw",
        body=Route(),
        join=Join(type=GatewayType.PARALLEL),
        split=Split(type=GatewayType.EXCLUSIVE),
    )
    assert 'label="Exclusive\\njoin: Parallel"' in _gw_line(gw)


def test_a_route_joining_as_it_splits_names_its_type_once() -> None:
    gw = Activity(
        id="gw",
        body=Route(),
        join=Join(type=GatewayType.PARALLEL),
        split=Split(type=GatewayType.PARALLEL),
    )
    assert 'label="Parallel"' in _gw_line(gw)
    # a 2.x route's own GatewayType is how it joins and splits (as the engine runs it)
    typed = Activity(
        id="gw",
        body=Route(gateway_type=GatewayType.INCLUSIVE),
        join=Join(type=GatewayType.PARALLEL),
    )
    assert 'label="Inclusive"' in _gw_line(typed)
