"""Which leftover names the reader takes for slips of an XPDL name, and at what cost.

Only a difference in case or one edit (a letter added, dropped or changed, two neighbours
swapped) is a slip: ``<WorkFlowProcesses>``, ``<Activites>``, ``<Spilt>``. difflib's looser
likeness took tools' own names for slips (``<PageInfo>``: "did you mean <Page>?"), in a file
with no namespace too (``<VendorThing>``: "did you mean <Vendor>?"), and compared each
leftover with all 232 XPDL names: 20,000 tool elements took a minute to read instead of
seconds, again at every compile of a stored deployment."""

from __future__ import annotations

import difflib

import pytest

from wfengine import load_xpdl
from wfengine.definition.xpdl.read_context import near_xpdl_name

_HEAD = """<?xml version="1.0"?>
<Package{ns} Id="pkg">
<PackageHeader><XPDLVersion>{version}</XPDLVersion><Vendor>t</Vendor><Created>2024</Created>
</PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P"><Activities>
<Activity Id="a"><Route/>{inside}</Activity></Activities></WorkflowProcess></WorkflowProcesses>
</Package>
"""
_NS = ' xmlns="http://www.wfmc.org/2008/XPDL2.1"'


def _doc(inside: str, *, namespace: bool = True) -> bytes:
    ns, version = (_NS, "2.1") if namespace else ("", "1.0")
    return _HEAD.format(ns=ns, version=version, inside=inside).encode()


def _unreadable(data: bytes) -> list[str]:
    package = load_xpdl(data, schema=False)
    return [d.message for d in package.load_diagnostics if d.code == "xpdl-unreadable"]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("WorkFlowProcesses", "WorkflowProcesses"),
        ("Activites", "Activities"),
        ("Spilt", "Split"),
        ("TranstionRefs", "TransitionRefs"),
        ("DataFeilds", "DataFields"),
        ("WorkflowProceses", "WorkflowProcesses"),
    ],
)
def test_a_slip_of_an_xpdl_name_is_still_taken_for_it(written: str, meant: str) -> None:
    assert near_xpdl_name(written) == meant


@pytest.mark.parametrize(
    "tool_name",
    ["PageInfo", "Attachments", "AuditEvent", "WorkItemPriority", "schema", "VendorThing", "Nr"],
)
@pytest.mark.parametrize("namespace", [True, False])
def test_a_tools_own_name_is_kept_with_no_word(tool_name: str, namespace: bool) -> None:
    data = _doc(f'<{tool_name} foo="1">hi</{tool_name}>', namespace=namespace)
    assert _unreadable(data) == []
    [activity] = load_xpdl(data, schema=False).workflow_processes[0].activities
    assert [node.tag.split("}")[-1] for node in activity.extras] == [tool_name]


def test_an_xpdl_name_the_reader_reads_beyond_the_schemas_is_no_slip() -> None:
    """2.0 final's ProcessRef is read, though the bundled 2.0 draft schema has no such
    element; one left over was called a slip of <ProcessHeader>."""
    assert _unreadable(_doc('<ProcessRef Id="sub"/>')) == []


def test_a_slip_in_an_element_without_room_for_it_says_where_it_is_written() -> None:
    data = _doc(
        '<TransitionRestrictions><TransitionRestriction><Spilt Type="AND"/>'
        "</TransitionRestriction></TransitionRestrictions>"
    )
    assert _unreadable(data) == [
        "<Spilt> at line 6 in <TransitionRestriction> is no XPDL element (did you mean "
        "<Split>?); it is kept as XML, unread, written back outside <TransitionRestriction> "
        "(in the nearest enclosing element that keeps unknown content)"
    ]


def _comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the names difflib compares a word with (one set_seq1 each)."""
    calls: list[int] = []
    original = difflib.SequenceMatcher.set_seq1

    def counted(self: difflib.SequenceMatcher[str], a: str) -> None:
        calls.append(1)
        original(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counted)
    return calls


def test_many_tool_elements_cost_no_comparison_with_every_xpdl_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    near_xpdl_name.cache_clear()
    calls = _comparisons(monkeypatch)
    kids = "".join(f"<Activityy{i}/>" for i in range(300))
    kids += "<IsForCompensationSpecified/>" * 300 + "<Activites/>"
    [message] = _unreadable(_doc(kids))
    assert message.startswith("<Activites> at line 6 in <Activity> is no XPDL element (did ")
    assert len(calls) < 10
