"""A subflow whose XPDL 2.1/2.2 DataMappings name the called process's formal parameters binds
its actuals by those names in whichever version of the called process starts (its newest):
a v2 that reorders the formals still gets each value in the formal it was mapped to, and
its results come back to the fields mapped to them; a v2 that renamed a mapped formal, or
changed its Mode, holds the call as an incident naming the formal and the version. Before,
the names were turned into positions by v1's order and the values went to whichever formal
stood there in v2, silently. Positional ActualParameters keep binding by position."""

from __future__ import annotations

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl, load_xpdl
from wfengine.definition.model import XPDL22_NS, Package
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _package(formals: list[tuple[str, str]]) -> Package:
    """Caller ``order`` maps ``ship_to``/``bill_to`` IN and ``label`` OUT by formal name to
    ``ship``, whose ``formals`` are (Id, Mode) in the order given."""
    declared = "".join(
        f'<FormalParameter Id="{f}" Mode="{mode}"><DataType><BasicType Type="STRING"/>'
        "</DataType></FormalParameter>"
        for f, mode in formals
    )
    text = f"""<Package xmlns="{XPDL22_NS}" Id="pk" Name="pk"><PackageHeader>
<XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024</Created></PackageHeader>
<Participants><Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant></Participants>
<WorkflowProcesses>
 <WorkflowProcess Id="order"><ProcessHeader/><DataFields>
   <DataField Id="ship_to"><DataType><BasicType Type="STRING"/></DataType>
     <InitialValue>"Paris"</InitialValue></DataField>
   <DataField Id="bill_to"><DataType><BasicType Type="STRING"/></DataType>
     <InitialValue>"London"</InitialValue></DataField>
   <DataField Id="label"><DataType><BasicType Type="STRING"/></DataType></DataField>
 </DataFields><Activities>
   <Activity Id="check"><Implementation><No/></Implementation>
     <Performers><Performer>clerk</Performer></Performers></Activity>
   <Activity Id="call"><Implementation><SubFlow Id="ship"><DataMappings>
     <DataMapping Formal="ship_address" Direction="IN"><Actual>ship_to</Actual></DataMapping>
     <DataMapping Formal="bill_address" Direction="IN"><Actual>bill_to</Actual></DataMapping>
     <DataMapping Formal="label" Direction="OUT"><Actual>label</Actual></DataMapping>
   </DataMappings></SubFlow></Implementation></Activity>
 </Activities><Transitions><Transition Id="t1" From="check" To="call"/></Transitions>
 </WorkflowProcess>
 <WorkflowProcess Id="ship"><ProcessHeader/><FormalParameters>{declared}</FormalParameters>
  <Activities><Activity Id="pack"><Implementation><No/></Implementation>
    <Performers><Performer>clerk</Performer></Performers></Activity></Activities>
 </WorkflowProcess></WorkflowProcesses></Package>"""
    return load_xpdl(text.encode())


V1 = [("ship_address", "IN"), ("bill_address", "IN"), ("label", "OUT")]


def _call_after(engine: Engine, v2: Package) -> str:
    """Start ``order`` on v1, deploy ``v2``, then let the order reach its subflow (which
    calls the newest ``ship``)."""
    engine.deploy(_package(V1), check_bindings=False)
    order = engine.start_process("order")
    engine.deploy(v2, check_bindings=False)
    (item,) = engine.work_items(order)
    engine.complete_work_item(item.id)
    return order


def _child(engine: Engine) -> str | None:
    found = [s.id for s in engine.instance_summaries() if s.process_id == "ship"]
    return found[0] if found else None


def test_reordered_formals_get_the_values_mapped_to_them(engine: Engine) -> None:
    order = _call_after(engine, _package([V1[2], V1[1], V1[0]]))  # ship v2: reversed
    child = _child(engine)
    assert child is not None and engine.instance(child).version == 2
    data = engine.instance(child).data
    assert (data["ship_address"], data["bill_address"]) == ("Paris", "London")
    (item,) = engine.work_items(child)
    engine.complete_work_item(item.id, {"label": "L-7"})
    done = engine.instance(order)
    assert done.state is ProcessState.COMPLETED
    assert (done.data["label"], done.data["ship_to"]) == ("L-7", "Paris")  # back by name


def test_a_renamed_formal_holds_the_call_naming_it_and_the_version(engine: Engine) -> None:
    order = _call_after(engine, _package([("delivery_address", "IN"), *V1[1:]]))
    assert _child(engine) is None  # nothing started
    (incident,) = engine.incidents(order)
    assert "'ship_address'" in incident.message and "'ship' version 2" in incident.message
    assert "'delivery_address'" in incident.message


def test_a_formal_whose_mode_changed_holds_the_call(engine: Engine) -> None:
    order = _call_after(engine, _package([V1[0], ("bill_address", "INOUT"), V1[2]]))
    assert _child(engine) is None
    (incident,) = engine.incidents(order)
    assert "'bill_address' as IN" in incident.message and "INOUT" in incident.message


def test_the_names_survive_writing_the_package_and_reading_it_back(engine: Engine) -> None:
    engine.deploy(load_xpdl(dump_xpdl(_package(V1))), check_bindings=False)
    order = engine.start_process("order")
    engine.deploy(_package([V1[1], V1[0], V1[2]]), check_bindings=False)
    (item,) = engine.work_items(order)
    engine.complete_work_item(item.id)
    child = _child(engine)
    assert child is not None
    assert engine.instance(child).data["ship_address"] == "Paris"


def test_positional_actuals_keep_binding_by_position(engine: Engine) -> None:
    def package(formals: list[str]) -> Package:
        pb = PackageBuilder("pk")
        p = pb.process("main")
        p.data_field("a", "STRING", initial='"first"')
        p.data_field("b", "STRING", initial='"second"')
        p.activity("wait", performer="clerk")
        p.subflow("call", process="sub", args=["a", "b"])
        p.sequence("wait", "call")
        sub = pb.process("sub")
        for f in formals:
            sub.param(f, "IN", "STRING")
        sub.activity("work", performer="clerk")
        return pb.build()

    engine.deploy(package(["x", "y"]))
    main = engine.start_process("main")
    engine.deploy(package(["y", "x"]))  # the positions now name the other formal
    (item,) = engine.work_items(main)
    engine.complete_work_item(item.id)
    (child,) = [s.id for s in engine.instance_summaries() if s.process_id == "sub"]
    assert engine.instance(child).data == {"y": "first", "x": "second"}
