"""The reader's warnings about DataMappings and a task's own Performers quote the values they
name shortened, as every other finding quotes a text: a Direction of 100,000 letters made a
warning of 100,135 characters. What the reader keeps of the values is kept as before."""

from __future__ import annotations

import pytest

from wfengine import dump_xpdl
from wfengine.definition.model import XPDL22_NS, Package
from wfengine.definition.xpdl.reader import read_package

_HUGE = "X" * 100_000


def _call(mappings: str) -> Package:
    doc = f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader/><WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/><DataFields>
        <DataField Id="n"><DataType><BasicType Type="INTEGER"/></DataType></DataField>
      </DataFields><Activities>
        <Activity Id="a"><Implementation><SubFlow Id="child"><DataMappings>{mappings}
        </DataMappings></SubFlow></Implementation></Activity>
      </Activities></WorkflowProcess>
      <WorkflowProcess Id="child"><ProcessHeader/><FormalParameters>
        <FormalParameter Id="q" Mode="INOUT"><DataType><BasicType Type="INTEGER"/></DataType>
        </FormalParameter></FormalParameters><Activities><Activity Id="c"/></Activities>
      </WorkflowProcess></WorkflowProcesses></Package>"""
    return read_package(doc.encode(), schema=False)


def _mapping(formal: str, actual: str, direction: str) -> str:
    return (
        f'<DataMapping Formal="{formal}" Direction="{direction}"><Actual>{actual}</Actual>'
        "<TestValue>1</TestValue></DataMapping>"
    )


@pytest.mark.parametrize(
    ("mappings", "start"),
    [
        (_mapping("q", "n", _HUGE), "the DataMapping of 'q' has Direction='XXXX"),
        (_mapping(_HUGE, "n", "IN"), "'XXXX"),
        (
            _mapping("q", "n + 1", "IN") + _mapping("q", _HUGE, "OUT"),
            "the INOUT formal parameter 'q' is mapped IN from 'n + 1' and OUT to 'XXXX",
        ),
        (_mapping("q", _HUGE, "IN"), "the INOUT formal parameter 'q' is mapped IN only"),
    ],
    ids=["direction", "formal", "out-text", "field"],
)
def test_a_huge_mapping_value_is_quoted_short_and_kept_whole(mappings: str, start: str) -> None:
    package = _call(mappings)
    messages = [d.message for d in package.load_diagnostics if d.code == "xpdl-unreadable"]
    assert messages
    assert all(len(m) < 400 for m in messages), [len(m) for m in messages]
    assert any(start in m for m in messages), messages
    assert _HUGE.encode() in dump_xpdl(package)


def test_a_tasks_own_huge_performer_is_shortened_in_the_warning() -> None:
    doc = f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader/><WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/><Activities>
        <Activity Id="a"><Implementation><Task><TaskUser><Performers>
        <Performer>{_HUGE}</Performer></Performers></TaskUser></Task></Implementation>
        <Performers><Performer>clerk</Performer></Performers></Activity>
      </Activities></WorkflowProcess></WorkflowProcesses></Package>"""
    package = read_package(doc.encode(), schema=False)
    [message] = [d.message for d in package.load_diagnostics if d.code == "xpdl-unreadable"]
    assert len(message) < 300
    assert "(XXXX" in message and "the activity names its own (clerk)" in message
    assert _HUGE.encode() in dump_xpdl(package)
