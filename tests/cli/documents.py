"""XPDL documents for the CLI tests: good ones from examples/, broken ones built here."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"
LEAVE_REQUEST = EXAMPLES / "leave_request.xpdl"
ORDER_FULFILMENT = EXAMPLES / "order_fulfilment.xpdl"

XPDL22 = "http://www.wfmc.org/2009/XPDL2.2"


def package(activities: str, transitions: str, *, process_id: str = "p") -> str:
    """A small XPDL 2.2 package with one process made of the given XML fragments."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{XPDL22}" Id="pkg" Name="Test package">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>tests</Vendor></PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="{process_id}" Name="Test process">
      <ProcessHeader/>
      <Activities>
{activities}
      </Activities>
      <Transitions>
{transitions}
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


_START = '<Activity Id="start"><Event><StartEvent Trigger="None"/></Event></Activity>'
_END = '<Activity Id="end"><Event><EndEvent Result="None"/></Event></Activity>'

DUPLICATE_ID = package(
    f"{_START}\n"
    '<Activity Id="work" Name="first"><Implementation><No/></Implementation></Activity>\n'
    '<Activity Id="work" Name="second"><Implementation><No/></Implementation></Activity>\n'
    f"{_END}",
    '<Transition Id="t1" From="start" To="work"/>\n<Transition Id="t2" From="work" To="end"/>',
)

DANGLING_TRANSITION = package(
    f"{_START}\n{_END}",
    '<Transition Id="t1" From="start" To="end"/>\n<Transition Id="t2" From="start" To="nowhere"/>',
)

MALFORMED = '<?xml version="1.0"?>\n<Package xmlns="' + XPDL22 + '" Id="x">\n<Unclosed>\n</Package>'

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Package [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="x" Name="&lol3;"/>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Package [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="x" Name="&secret;"/>
"""

UNKNOWN_NAMESPACE = '<?xml version="1.0"?>\n<Package xmlns="http://example.com/not-xpdl" Id="x"/>\n'


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
