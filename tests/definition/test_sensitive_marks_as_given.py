"""``sensitive-mark`` for an Application declared only by an ExternalReference (or a 2.x
Type) with no FormalParameters: it takes its calls' actual parameters as given (a data field
under its own name, any other expression as ``arg1``, ``arg2``... by position), so its
``wfengine:sensitive`` names those. Such marks hid the inputs, then were refused at deploy
as naming "no formal parameter"; they are checked against the names the package's calls
pass, and a typo is still refused."""

from __future__ import annotations

import pytest

from wfengine import DeployError, Engine, load_xpdl, validate
from wfengine.definition.model import Package

CARD = "4111-1111-1111-1111"


def _package(marks: str, *, second_call: str | None = None, called: bool = True) -> Package:
    """A package-level ``charge`` (an ExternalReference) marked ``marks``, called by process
    ``p`` with ``pan`` and ``pan + "-x"`` (unless not ``called``), and by a process ``q``
    with ``second_call`` when given."""
    call = """<Activity Id="t"><Implementation><Task><TaskApplication Id="charge">
        <ActualParameters><ActualParameter>{}</ActualParameter></ActualParameters>
      </TaskApplication></Task></Implementation></Activity>"""
    first = call.format('pan</ActualParameter><ActualParameter>pan + "-x"')
    processes = [("p", first if called else '<Activity Id="t"/>')]
    if second_call is not None:
        processes.append(("q", call.format(second_call)))
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="pk" Name="pk">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
  </PackageHeader>
  <DataFields>
    <DataField Id="pan"><DataType><BasicType Type="STRING"/></DataType></DataField>
    <DataField Id="card"><DataType><BasicType Type="STRING"/></DataType></DataField>
  </DataFields>
  <Applications>
    <Application Id="charge">
      <ExternalReference location="https://pay.example/charge"/>
      <ExtendedAttributes><ExtendedAttribute Name="wfengine:sensitive" Value="{marks}"/>
      </ExtendedAttributes>
    </Application>
  </Applications>
  <WorkflowProcesses>
    {
        "".join(
            f'<WorkflowProcess Id="{pid}"><ProcessHeader/><Activities>{body}</Activities>'
            "</WorkflowProcess>"
            for pid, body in processes
        )
    }
  </WorkflowProcesses>
</Package>"""
    return load_xpdl(text.encode())


def _marks(package: Package) -> list[str]:
    return [d.message for d in validate(package) if d.code == "sensitive-mark"]


def test_the_names_its_call_passes_deploy_and_are_hidden() -> None:
    package = _package("pan arg2")
    assert _marks(package) == []
    engine = Engine()
    engine.applications.register("charge", lambda **inputs: None)
    engine.deploy(package, strict=True)
    iid = engine.start_process("p", {"pan": CARD})
    [inputs] = [
        e.detail["inputs"]
        for e in engine.audit_events(instance_id=iid)
        if e.kind == "application.invoked"
    ]
    assert inputs == {"pan": "***", "arg2": "***"}


def test_a_name_only_another_process_passes_is_no_finding() -> None:
    """Deploy validates one process at a time; the application's calls are the package's."""
    package = _package("pan card", second_call="card")
    assert _marks(package) == []
    engine = Engine()
    engine.applications.register("charge", lambda **inputs: None)
    engine.deploy(package, strict=True)


def test_a_name_no_call_passes_is_refused_naming_what_they_pass() -> None:
    package = _package("pan arg3")
    [message] = _marks(package)
    assert "'arg3'" in message
    assert "none of its calls passes a parameter 'arg3'" in message
    assert "no formal parameters" in message  # why: the application declares none
    assert "did you mean 'arg2'? (the parameters its calls pass: pan, arg2)" in message
    with pytest.raises(DeployError, match="sensitive-mark"):
        Engine().deploy(package, strict=True)


def test_an_application_nothing_calls_is_not_refused() -> None:
    """What it will be passed is not known: nothing to check the names against."""
    assert _marks(_package("anything", called=False)) == []
