"""A text naming a data field the reader could not read says so, not "no data field".

A DataField whose basic type is misspelt (``INTEGR``) is kept as XML, unread, with the
reader's ``xpdl-unreadable`` warning at its own line; a condition using it got only "uses
'amount', which is no data field or formal parameter", sending the modeller looking for a
missing declaration that is right there. The finding at the use now points at it.
"""

from __future__ import annotations

from wfengine import load_xpdl, validate

_NS = "http://www.wfmc.org/2008/XPDL2.1"


def _xpdl(basic_type: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{_NS}" Id="p" Name="p">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>x</Vendor><Created>2020</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="proc">
      <ProcessHeader/>
      <DataFields>
        <DataField Id="amount"><DataType><BasicType Type="{basic_type}"/></DataType>
        </DataField>
        <DataField Id="total"><DataType><BasicType Type="INTEGER"/></DataType>
          <InitialValue>amount * 2</InitialValue></DataField>
      </DataFields>
      <Activities>
        <Activity Id="a"><Route/></Activity>
        <Activity Id="b"><Route/></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t" From="a" To="b">
          <Condition Type="CONDITION"><Expression>amount &gt; 3</Expression></Condition>
        </Transition>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


def test_a_use_of_an_unread_field_points_at_its_declaration() -> None:
    found = {
        d.element_id: d
        for d in validate(load_xpdl(_xpdl("INTEGR").encode()))
        if d.code == "expression-unknown-name"
    }
    assert set(found) == {"t", "total"}  # the condition and the initial value
    for finding in found.values():
        assert (
            "its <DataField> at line 9 could not be read: unknown basic type 'INTEGR'; it is "
            "kept as XML, unread: correct the declaration" in finding.message
        ), finding.message
    assert found["t"].line == 20  # the Condition's


def test_a_read_field_is_no_finding() -> None:
    found = [
        d
        for d in validate(load_xpdl(_xpdl("INTEGER").encode()))
        if d.code == "expression-unknown-name"
    ]
    assert found == []
