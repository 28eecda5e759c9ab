"""A subflow call is compiled with the Modes of the called process's formal parameters (as
its package holds them), and each call is checked against the newest version's Modes when
it starts. So changing only a called process's formal Mode is a change of its caller too:
a redeploy makes a new version of both, and new callers get the result back. Before, the
caller kept its version (its own definition had not changed) and every new instance of it
was held as an incident "... as IN, as the caller was deployed with it; ... declares it
INOUT; nothing was started".

Every process keeps the fingerprint it always had (a caller's called Modes are compared
beside it, only when a stored version would be kept), so a host redeploying unchanged content
after an upgrade makes no new versions."""

from __future__ import annotations

from tests.runtime.test_subflow_mapped_formals import V1, _child
from tests.runtime.test_subflow_mapped_formals import _package as _mapped
from wfengine import Engine, PackageBuilder, load_xpdl
from wfengine.definition.io import dump_xpdl
from wfengine.definition.model import XPDL22_NS, Package
from wfengine.runtime.fingerprints import fingerprint_forms
from wfengine.runtime.states import ProcessState


def _subs(mode: str, description: str | None = None) -> Package:
    """``parent`` calls ``child(n)`` by position; ``child`` adds 100 to its formal ``v``."""
    b = PackageBuilder("subs")
    c = b.process("child", params=[("v", mode, "INTEGER")])
    c.start("s")
    c.activity("calc", script="v = v + 100")
    c.end("e")
    c.sequence("s", "calc", "e")
    p = b.process("parent")
    p.data_field("n", "INTEGER", initial="1")
    p.start("s")
    p.subflow("call", process="child", args=["n"])
    p.end("e")
    p.sequence("s", "call", "e")
    package = b.build()
    if description is not None:
        child = package.workflow_processes[0]
        (formal,) = child.formal_parameters
        formal = formal.model_copy(update={"description": description})
        child = child.model_copy(update={"formal_parameters": (formal,)})
        package = package.model_copy(
            update={"workflow_processes": (child, *package.workflow_processes[1:])}
        )
    return package


def test_a_called_formal_made_inout_makes_a_new_caller_version_that_gets_the_result() -> None:
    with Engine() as engine:
        engine.deploy(_subs("IN"))
        before = engine.start_process("parent")
        assert engine.instance(before).data["n"] == 1  # IN: nothing comes back
        engine.deploy(_subs("INOUT"))
        assert engine.store.deployed_versions() == {"child": [1, 2], "parent": [1, 2]}
        after = engine.start_process("parent")
        assert engine.instance(after).version == 2
        assert engine.incidents(after) == []
        assert engine.instance(after).state is ProcessState.COMPLETED
        assert engine.instance(after).data["n"] == 101


def test_a_formal_mapped_by_name_whose_mode_changed_makes_a_new_caller_version() -> None:
    """DataMappings bind by the formal's name, and the call holds that formal's Mode too."""
    with Engine() as engine:
        engine.deploy(_mapped(V1), check_bindings=False)
        engine.deploy(_mapped([V1[0], ("bill_address", "INOUT"), V1[2]]), check_bindings=False)
        assert engine.store.deployed_versions() == {"order": [1, 2], "ship": [1, 2]}
        order = engine.start_process("order")
        (item,) = engine.work_items(order)
        engine.complete_work_item(item.id)
        assert engine.incidents(order) == []
        assert _child(engine) is not None  # the call started


def test_what_the_call_does_not_hold_keeps_the_callers_version() -> None:
    with Engine() as engine:
        engine.deploy(_subs("IN"))
        for same in (_subs("IN"), load_xpdl(dump_xpdl(_subs("IN")))):
            engine.deploy(same)
            assert engine.store.deployed_versions() == {"child": [1], "parent": [1]}
        engine.deploy(_subs("IN", description="the amount"))  # the child changed, not the call
        assert engine.store.deployed_versions() == {"child": [1, 2], "parent": [1]}


_FIXED = f"""<Package xmlns="{XPDL22_NS}" Id="fixed" Name="fixed"><PackageHeader>
<XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024</Created></PackageHeader>
<WorkflowProcesses>
 <WorkflowProcess Id="plain"><ProcessHeader/><DataFields>
   <DataField Id="n"><DataType><BasicType Type="INTEGER"/></DataType>
     <InitialValue>1</InitialValue></DataField></DataFields>
  <Activities><Activity Id="a"><Implementation><No/></Implementation></Activity></Activities>
 </WorkflowProcess>
 <WorkflowProcess Id="no_actuals"><ProcessHeader/><Activities>
   <Activity Id="call"><Implementation><SubFlow Id="plain"/></Implementation></Activity>
 </Activities></WorkflowProcess>
 <WorkflowProcess Id="itself"><ProcessHeader/><FormalParameters>
   <FormalParameter Id="v" Mode="INOUT"><DataType><BasicType Type="INTEGER"/></DataType>
   </FormalParameter></FormalParameters><Activities>
   <Activity Id="again"><Implementation><SubFlow Id="itself"><ActualParameters>
     <ActualParameter>v</ActualParameter></ActualParameters></SubFlow></Implementation>
   </Activity></Activities></WorkflowProcess>
 <WorkflowProcess Id="elsewhere"><ProcessHeader/><DataFields>
   <DataField Id="n"><DataType><BasicType Type="INTEGER"/></DataType></DataField></DataFields>
  <Activities>
   <Activity Id="remote"><Implementation><SubFlow Id="itself" PackageRef="other">
     <ActualParameters><ActualParameter>n</ActualParameter></ActualParameters></SubFlow>
   </Implementation></Activity>
   <Activity Id="absent"><Implementation><SubFlow Id="not_here"><ActualParameters>
     <ActualParameter>n</ActualParameter></ActualParameters></SubFlow></Implementation>
   </Activity></Activities></WorkflowProcess>
</WorkflowProcesses></Package>"""

#: computed by wfengine before the called formals counted (40dff7c)
_BEFORE = {
    "plain": "42b611ecd3a8d6565b68645d47198c44cb32a7464211aa4bb9179a611d4c5568",
    "no_actuals": "c8c7f02c01f00bfe951cf3ef369c0e6d056fe6be5dee412732eb5234c45cfc29",
    "itself": "d7f284b127924b6c11849906c5d7208df91d4d770805377463c2aeb14bb9ca0f",
    "elsewhere": "403fdbac9b7538b9747c670205266968e04e20ac02d7c0e6818f79761b4f9216",
}


def _fixed() -> Package:
    return load_xpdl(_FIXED.encode())


def test_a_process_calling_no_other_process_of_its_package_keeps_its_fingerprint() -> None:
    """A plain process, a call passing nothing, a call of itself, of another package's
    process or of one its package does not hold: each fingerprint is what it was before
    the called formals counted, so redeploying such content to an existing store keeps
    every version. (A change of the model's fields would change these too: every host's
    next deploy would make a new version of every process.)"""
    package = _fixed()
    for process in package.workflow_processes:  # (a form of it: runtime/fingerprints.py)
        assert _BEFORE[process.id] in fingerprint_forms(package, process)


#: the fingerprints the previous release (ff88fc9) stored for ``_subs("IN")``
_SUBS_BEFORE = {
    "child": "f4a4348c54ba33e46d5d5f4f8a51f414fa3fe5eda1cf2ca285ec861fc763e2a7",
    "parent": "ce8756f9f0bdcd61353ec4da1c2e50fe305dcbddf6964c5df13594b0d89baae6",
}


def test_a_caller_passing_values_keeps_the_fingerprint_an_earlier_release_stored() -> None:
    """A caller passing actuals to a process of its package: its fingerprint is what the
    previous release stored, so a host's first redeploy after the upgrade keeps its version
    (a new one would replace a version scheduled by ValidFrom for good)."""
    package = _subs("IN")
    for process in package.workflow_processes:
        assert _SUBS_BEFORE[process.id] in fingerprint_forms(package, process)
