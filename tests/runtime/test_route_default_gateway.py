"""A Route with no GatewayType is an Exclusive gateway: the default of every XPDL 2.x schema
(``XOR`` in 2.0, ``Exclusive`` in 2.1 and 2.2). Bizagi writes its exclusive gateways as a bare
``<Route MarkerVisible="true"/>``; read as a parallel split, a passenger went both to the
automated lane and to the counter."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, load_xpdl, validate

_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="p">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="proc" Name="proc"><ProcessHeader/>
      <DataFields>
        <DataField Id="amount"><DataType><BasicType Type="INTEGER"/></DataType>
          <InitialValue>10</InitialValue></DataField>
      </DataFields>
      <Activities>
        <Activity Id="start"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="gw" Name="amount?"><Route MarkerVisible="true"/></Activity>
        <Activity Id="big"><Implementation><No/></Implementation></Activity>
        <Activity Id="small"><Implementation><No/></Implementation></Activity>
        <Activity Id="end1"><Event><EndEvent Result="None"/></Event></Activity>
        <Activity Id="end2"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t0" From="start" To="gw"/>
        <Transition Id="t1" From="gw" To="big"><Condition Type="CONDITION">
          <Expression>amount &gt; 5</Expression></Condition></Transition>
        <Transition Id="t2" From="gw" To="small"><Condition Type="CONDITION">
          <Expression>amount &gt; 0</Expression></Condition></Transition>
        <Transition Id="t3" From="big" To="end1"/>
        <Transition Id="t4" From="small" To="end2"/>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


def test_a_route_with_no_gateway_type_takes_one_way_as_the_schemas_default_says() -> None:
    package = load_xpdl(_DOC.encode())
    assert validate(package) == []
    with Engine() as e:
        e.deploy(package)
        iid = e.start_process("proc")
        assert e.trace(iid) == ["start", "gw", "big", "end1"]  # not 'small' as well


def test_the_builders_route_without_a_gateway_is_exclusive_too() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("n", "INTEGER", initial="3")
    p.route("gw").activity("a").activity("b")
    p.transition("gw", "a", condition="n > 1").transition("gw", "b", condition="n > 2")
    with Engine() as e:
        e.deploy(pb.build())
        assert e.trace(e.start_process("p")) == ["gw", "a"]
