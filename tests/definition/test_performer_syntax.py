"""A performer that is neither a name nor an expression that parses (``employee_name +``) is
``performer-syntax``: an error where the engine offers the activity's work to people (deploy
refuses the process), a warning where it runs the activity itself (a Tool's performer is only
who is responsible) or where the text is JavaScript, which may use more of its language than
wfengine reads. Before, it got no finding: the work item was offered to a name nobody has and
the case waited for ever (found by a QA pass)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, load_xpdl, validate
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package
from wfengine.errors import DeployError

LEAVE_REQUEST = Path(__file__).resolve().parents[2] / "examples" / "leave_request.xpdl"


def _findings(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.code == "performer-syntax"]


def _package(performer: str, *, script: str | None = None, tool: bool = False) -> Package:
    pb = PackageBuilder("pkg", script=script)
    pb.application("erp")
    p = pb.process("orders")
    p.data_field("employee_name", "STRING")
    if tool:
        p.activity("ship", performer=performer, tool="erp")
    else:
        p.activity("ship", performer=performer)
    return pb.build()


def test_an_unparseable_performer_of_a_persons_work_is_an_error_at_its_line() -> None:
    source = LEAVE_REQUEST.read_text(encoding="utf-8").replace(
        "<Performer>manager</Performer>", "<Performer>employee_name +</Performer>"
    )
    (found,) = _findings(load_xpdl(source.encode()))
    assert found.severity is Severity.ERROR
    assert found.element_id == "approve"
    before = source[: source.index("<Performer>employee_name +")]
    assert found.line == before.count("\n") + 1
    for part in ("'approve'", "process 'request_leave'", "'employee_name +'", "invalid syntax"):
        assert part in found.message, found.message


def test_deploy_refuses_it() -> None:
    with Engine() as e, pytest.raises(DeployError, match="performer-syntax"):
        e.deploy(_package("employee_name +"))


@pytest.mark.parametrize(
    "performer",
    ["boss", "Human Resources", 'employee_name + "-desk"', "Team-Lead", "a and b", "010", "1.10"],
)
def test_names_and_expressions_are_no_finding(performer: str) -> None:
    # (``010``, ``1.10``: written as Ids, a directory's or another package's participant's,
    # though no expression reads them)
    assert _findings(_package(performer)) == []


def test_a_declared_participant_is_never_read_as_an_expression() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("orders")
    p.participant("desk (EU)")
    p.activity("ship", performer="desk (EU)")
    assert _findings(pb.build()) == []


def test_on_a_tool_activity_it_is_a_warning_and_deploys() -> None:
    package = _package("DBConnection and Shipper (EU)", tool=True)
    (found,) = _findings(package)
    assert found.severity is Severity.WARNING
    assert "never offers it to anyone" in found.message
    with Engine() as e:
        (deployed,) = e.deploy(package, check_bindings=False)
        assert deployed.process_id == "orders"


def test_in_javascript_it_is_a_warning() -> None:
    (found,) = _findings(_package("employee_name +", script="text/javascript"))
    assert found.severity is Severity.WARNING
    assert "JavaScript" in found.message and "incident" in found.message


def test_a_lane_performer_that_does_not_parse_is_reported_on_the_activities_it_reaches() -> None:
    source = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="P">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <Pools>
    <Pool Id="pool" Process="wp" BoundaryVisible="true">
      <Lanes>
        <Lane Id="desk" Name="Desk"><Performers><Performer>clerk (</Performer></Performers>
        </Lane>
      </Lanes>
    </Pool>
  </Pools>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n">
      <ProcessHeader/>
      <Activities>
        <Activity Id="work" Name="Check">
          <Implementation><Task><TaskUser/></Task></Implementation>
          <NodeGraphicsInfos><NodeGraphicsInfo LaneId="desk"/></NodeGraphicsInfos>
        </Activity>
      </Activities>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>"""
    (found,) = _findings(load_xpdl(source.encode(), schema=False))
    assert found.severity is Severity.ERROR and found.element_id == "work"
    assert "'clerk ('" in found.message and "lane" in found.message
