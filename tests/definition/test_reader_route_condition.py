"""A Complex gateway's condition on its Route element (``Route@IncomingCondition``).

XPDL 2.1 and 2.2 give the Route element IncomingCondition and OutgoingCondition attributes;
older files put a Complex join's condition on ``TransitionRestriction/Join@IncomingCondtion``.
Either way it is the join's condition: the gateway goes on when it holds.
"""

from __future__ import annotations

from lxml import etree

from wfengine import Engine, VirtualClock, dump_xpdl, load_xpdl
from wfengine.definition.model import GatewayType, Join, Package, Route, Split
from wfengine.definition.xpdl.schema import check_schema


def _doc(route: str, join: str = "") -> bytes:
    """Three parallel tasks a, b, c meet at gateway ``cx`` (``route``: its Route's attributes;
    ``join``: its Join element)."""
    restriction = (
        f"<TransitionRestrictions><TransitionRestriction>{join}</TransitionRestriction>"
        "</TransitionRestrictions>"
        if join
        else ""
    )
    task = "<Implementation><Task><TaskUser/></Task></Implementation>"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="P">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="first of three">
      <ProcessHeader/>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="fork"><Route GatewayType="Parallel"/></Activity>
        <Activity Id="a">{task}</Activity>
        <Activity Id="b">{task}</Activity>
        <Activity Id="c">{task}</Activity>
        <Activity Id="cx"><Route {route}/>{restriction}</Activity>
        <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="s" To="fork"/>
        <Transition Id="t2" From="fork" To="a"/>
        <Transition Id="t3" From="fork" To="b"/>
        <Transition Id="t4" From="fork" To="c"/>
        <Transition Id="t5" From="a" To="cx"/>
        <Transition Id="t6" From="b" To="cx"/>
        <Transition Id="t7" From="c" To="cx"/>
        <Transition Id="t8" From="cx" To="e"/>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


COMPLEX_FIRST = 'GatewayType="Complex" IncomingCondition="arrived &gt;= 1"'


def _gateway(package: Package) -> tuple[Route, Join | None]:
    activity = package.process("wp").activity("cx")
    assert isinstance(activity.body, Route)
    return activity.body, activity.join


def _condition(join: Join | None) -> str | None:
    assert join is not None
    assert join.type is GatewayType.COMPLEX
    return join.incoming_condition


def test_a_routes_incoming_condition_is_its_complex_joins_condition() -> None:
    route, join = _gateway(load_xpdl(_doc(COMPLEX_FIRST)))
    assert route.gateway_type is GatewayType.COMPLEX
    assert route.extra_attrs == ()
    assert _condition(join) == "arrived >= 1"


def test_a_complex_gateway_with_its_condition_on_the_route_goes_on_when_it_holds() -> None:
    """``arrived`` counts the ways in that arrived: the first of three is enough."""
    engine = Engine(clock=VirtualClock())
    engine.deploy(load_xpdl(_doc(COMPLEX_FIRST)))
    instance_id = engine.start_process("wp")
    first = next(i for i in engine.work_items(instance_id) if i.activity_id == "a")
    engine.complete_work_item(first.id)
    assert engine.trace(instance_id)[-3:] == ["a", "cx", "e"]


def test_a_join_without_a_condition_takes_the_routes() -> None:
    package = load_xpdl(_doc(COMPLEX_FIRST, '<Join Type="Complex"/>'))
    route, join = _gateway(package)
    assert _condition(join) == "arrived >= 1"
    assert route.extra_attrs == ()
    assert package.load_diagnostics == ()


def test_a_joins_own_condition_wins_and_the_routes_is_kept_with_a_warning() -> None:
    package = load_xpdl(_doc(COMPLEX_FIRST, '<Join Type="Complex" IncomingCondtion="true"/>'))
    route, join = _gateway(package)
    assert _condition(join) == "true"
    assert route.extra_attrs == (("IncomingCondition", "arrived >= 1"),)
    [warning] = package.load_diagnostics
    assert (warning.code, warning.element_id) == ("xpdl-unreadable", "cx")
    assert "is not used" in warning.message
    assert load_xpdl(dump_xpdl(package)) == package


def test_a_condition_on_a_gateway_that_is_not_complex_is_kept_as_written() -> None:
    route, join = _gateway(load_xpdl(_doc('GatewayType="Inclusive" IncomingCondition="x"')))
    assert join is None
    assert route.extra_attrs == (("IncomingCondition", "x"),)


def test_converting_writes_the_condition_once_on_the_join_and_reads_back_the_same() -> None:
    package = load_xpdl(_doc(COMPLEX_FIRST))
    written = dump_xpdl(package)
    assert written.count(b"arrived &gt;= 1") == 1
    assert b'IncomingCondtion="arrived &gt;= 1"' in written  # the schemas' spelling, sic
    assert load_xpdl(written) == package
    assert check_schema(etree.ElementTree(etree.fromstring(written)), "2.2") == []


COMPLEX_OUT = 'GatewayType="Complex" OutgoingCondition="amount &gt; 10"'


def _split(package: Package) -> tuple[Route, Split | None]:
    activity = package.process("wp").activity("cx")
    assert isinstance(activity.body, Route)
    return activity.body, activity.split


def test_a_routes_outgoing_condition_is_its_complex_splits_condition() -> None:
    package = load_xpdl(_doc(COMPLEX_OUT))
    route, split = _split(package)
    assert route.extra_attrs == ()
    assert split is not None and split.type is GatewayType.COMPLEX
    assert split.outgoing_condition == "amount > 10"
    assert package.load_diagnostics == ()


def test_a_splits_own_outgoing_condition_wins_and_the_routes_is_kept_with_a_warning() -> None:
    package = load_xpdl(_doc(COMPLEX_OUT, '<Split Type="Complex" OutgoingCondition="true"/>'))
    route, split = _split(package)
    assert split is not None and split.outgoing_condition == "true"
    assert route.extra_attrs == (("OutgoingCondition", "amount > 10"),)
    [warning] = package.load_diagnostics
    assert (warning.code, warning.element_id) == ("xpdl-unreadable", "cx")
    assert "OutgoingCondition" in warning.message and "is not used" in warning.message
    assert load_xpdl(dump_xpdl(package)) == package


def test_an_outgoing_condition_on_a_gateway_that_is_not_complex_is_kept_as_written() -> None:
    route, split = _split(load_xpdl(_doc('GatewayType="Exclusive" OutgoingCondition="x"')))
    assert split is None
    assert route.extra_attrs == (("OutgoingCondition", "x"),)


def test_converting_writes_the_outgoing_condition_once_on_the_split_and_reads_back() -> None:
    both = f'{COMPLEX_OUT} IncomingCondition="arrived &gt;= 1"'
    package = load_xpdl(_doc(both))
    written = dump_xpdl(package)
    assert written.count(b"amount &gt; 10") == 1
    assert b'OutgoingCondition="amount &gt; 10"' in written
    assert load_xpdl(written) == package
    assert check_schema(etree.ElementTree(etree.fromstring(written)), "2.2") == []


def test_validate_warns_that_the_engine_does_not_run_a_splits_outgoing_condition() -> None:
    from wfengine import validate

    package = load_xpdl(_doc(COMPLEX_OUT))
    [unused] = [d for d in validate(package) if d.code == "split-condition-unused"]
    assert unused.severity.value == "warning" and unused.element_id == "cx"
    assert "'amount > 10'" in unused.message and "transitions" in unused.message
    plain = load_xpdl(_doc(COMPLEX_FIRST))  # a join's condition is run: nothing to say
    assert not [d for d in validate(plain) if d.code == "split-condition-unused"]


def test_a_gateway_drawn_inclusive_with_an_exclusive_split_runs_as_drawn() -> None:
    # Global 360 writes every inclusive gateway so: run by its Split, it took one way only
    from wfengine import validate

    package = load_xpdl(_doc('GatewayType="Inclusive"', '<Split Type="Exclusive"/>'))
    activity = package.process("wp").activity("cx")
    assert activity.split_gateway is GatewayType.INCLUSIVE
    assert load_xpdl(dump_xpdl(package)) == package  # the file keeps what it says
    [warning] = [d for d in validate(package) if d.code == "gateway-conflict"]
    assert warning.element_id == "cx"
    assert "'Inclusive'" in warning.message and "'Exclusive'" in warning.message
    agreeing = load_xpdl(_doc('GatewayType="Inclusive"', '<Split Type="Inclusive"/>'))
    assert not [d for d in validate(agreeing) if d.code == "gateway-conflict"]


def test_a_complex_route_over_an_exclusive_join_runs_with_the_routes_condition() -> None:
    # the Route's GatewayType is the gateway run (as for a gateway-conflict); its condition
    # was dropped when the Join's Type decided, and the join waited for all three
    package = load_xpdl(_doc(COMPLEX_FIRST, '<Join Type="Exclusive"/>'))
    activity = package.process("wp").activity("cx")
    assert activity.join_gateway is GatewayType.COMPLEX
    assert activity.join is not None and activity.join.incoming_condition == "arrived >= 1"
    assert isinstance(activity.body, Route) and activity.body.extra_attrs == ()
    assert load_xpdl(dump_xpdl(package)) == package
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    instance_id = engine.start_process("wp")
    first = next(i for i in engine.work_items(instance_id) if i.activity_id == "a")
    engine.complete_work_item(first.id)
    assert engine.trace(instance_id)[-3:] == ["a", "cx", "e"]


def test_a_complex_routes_outgoing_condition_over_an_exclusive_split_is_the_splits() -> None:
    package = load_xpdl(_doc(COMPLEX_OUT, '<Split Type="Exclusive"/>'))
    route, split = _split(package)
    assert route.extra_attrs == ()
    assert split is not None and split.outgoing_condition == "amount > 10"


def test_a_condition_on_a_route_not_complex_over_a_complex_join_is_kept_as_written() -> None:
    # the engine runs the Route's Exclusive gateway: the condition means nothing there
    package = load_xpdl(
        _doc('GatewayType="Exclusive" IncomingCondition="x"', '<Join Type="Complex"/>')
    )
    route, join = _gateway(package)
    assert route.extra_attrs == (("IncomingCondition", "x"),)
    assert join is not None and join.incoming_condition is None
