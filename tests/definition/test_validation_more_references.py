"""References validation once missed: a DeclaredType naming no TypeDeclaration
(``undefined-type``), a Lane's performer and a RedefinableHeader's Responsible naming no
participant (``undefined-participant``)."""

from __future__ import annotations

from wfengine import load_xpdl, validate

NS = "http://www.wfmc.org/2009/XPDL2.2"


def _findings(body: str, *, header: str = "", external: str = "") -> list[tuple[str, str]]:
    doc = f"""<Package xmlns="{NS}" Id="p"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
      <Vendor>t</Vendor><Created>now</Created></PackageHeader>{header}{external}
      <TypeDeclarations><TypeDeclaration Id="Money"><BasicType Type="FLOAT"/>
      </TypeDeclaration></TypeDeclarations>
      <Participants><Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>
      </Participants>{body}
      <WorkflowProcesses><WorkflowProcess Id="w"><ProcessHeader/>
        <DataFields>
          <DataField Id="paid"><DataType><DeclaredType Id="Money"/></DataType></DataField>
          <DataField Id="owed"><DataType><DeclaredType Id="Mony"/></DataType></DataField>
        </DataFields>
        <Activities><Activity Id="a"><Implementation><No/></Implementation></Activity>
        </Activities></WorkflowProcess></WorkflowProcesses></Package>"""
    package = load_xpdl(doc.encode(), schema=False)
    return [
        (d.code, d.message)
        for d in validate(package)
        if d.code in ("undefined-type", "undefined-participant")
    ]


def test_a_declared_type_naming_no_type_declaration_is_a_warning() -> None:
    (found,) = _findings("")
    assert found[0] == "undefined-type"
    assert "data field 'owed' of process 'w' is of declared type 'Mony'" in found[1]


def test_lane_performers_and_responsibles_naming_no_participant_are_warnings() -> None:
    pools = """<Pools><Pool Id="pool" Process="w"><Lanes>
      <Lane Id="desk"><Performers><Performer>clerk</Performer></Performers></Lane>
      <Lane Id="back"><Performers><Performer>clark</Performer></Performers></Lane>
    </Lanes></Pool></Pools>"""
    header = "<RedefinableHeader><Responsibles><Responsible>bos</Responsible></Responsibles>"
    header += "</RedefinableHeader>"
    found = [m for c, m in _findings(pools, header=header) if c == "undefined-participant"]
    assert found == [
        "the Responsible of package 'p' names 'bos', which is no participant of the package or "
        "its processes",
        "lane 'back' of pool 'pool' names 'clark', which is no participant of the package or "
        "its processes",
    ]


def test_with_external_packages_participants_may_be_theirs() -> None:
    pools = """<Pools><Pool Id="pool" Process="w"><Lanes>
      <Lane Id="back"><Performers><Performer>clark</Performer></Performers></Lane>
    </Lanes></Pool></Pools>"""
    external = '<ExternalPackages><ExternalPackage href="shared.xpdl"/></ExternalPackages>'
    codes = [c for c, _ in _findings(pools, external=external)]
    assert "undefined-participant" not in codes and codes == ["undefined-type"]
