"""A receive task with ``Instantiate="true"`` (a process started by a message, as BPMN tools
draw it) is a way in for :meth:`Engine.start_by_message`: the instance starts there and the
task takes the message at once."""

from __future__ import annotations

from pathlib import Path

from wfengine import Engine, ProcessState, load_xpdl

_XPDL = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="pkg">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2030</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="orders">
      <ProcessHeader/>
      <DataFields><DataField Id="qty"><DataType><BasicType Type="INTEGER"/></DataType>
      </DataField></DataFields>
      <Activities>
        <Activity Id="receive_order" Name="Receive order">
          <Implementation><Task><TaskReceive Instantiate="true">
            <Message Id="order" Name="order"/></TaskReceive></Task></Implementation>
        </Activity>
        <Activity Id="ship"><Implementation><No/></Implementation></Activity>
      </Activities>
      <Transitions><Transition Id="t1" From="receive_order" To="ship"/></Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


def test_the_message_starts_the_process_at_its_receive_task(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "orders.xpdl"
    path.write_text(_XPDL)
    engine.deploy(load_xpdl(path))
    i = engine.start_by_message("order", {"qty": "2"})
    assert engine.instance(i).state is ProcessState.COMPLETED
    assert engine.trace(i) == ["receive_order", "ship"]
    assert engine.instance(i).data["qty"] == 2
    received = [a.activity_id for a in engine.audit(i) if a.kind == "message.received"]
    assert received == ["receive_order"]  # once, by the task
    assert "message.kept" not in {a.kind for a in engine.audit(i)}
