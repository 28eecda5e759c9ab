"""A child the reader was surely meant to read but could not is warned of, not kept in
silence: a misspelt XPDL element (``<WorkFlowProcesses>``) and, in a document with a
prefixed root, a child written without the prefix (in no namespace). Both made a package of
no processes that ``validate --no-schema`` called clean, deploy took, and start refused with
"deployed: none". XPDL content wfengine keeps without a model for it (Pools, graphics) and
tools' own elements are kept as before, with no new word."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import load_xpdl

_NS = "http://www.wfmc.org/2008/XPDL2.1"
_BODY = """<PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>2024</Created>
</PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P"><Activities>
<Activity Id="a"><Route/></Activity></Activities></WorkflowProcess></WorkflowProcesses>"""
_PLAIN = f'<?xml version="1.0"?>\n<Package xmlns="{_NS}" Id="pkg">\n{_BODY}</Package>\n'
_CONFORMANCE = Path("/work/shared/conformance/xpdl")


def _unreadable(text: str) -> list[tuple[int | None, str]]:
    package = load_xpdl(text.encode(), schema=False)
    return [(d.line, d.message) for d in package.load_diagnostics if d.code == "xpdl-unreadable"]


def test_a_misspelt_element_is_named_with_its_line_and_the_name_meant() -> None:
    text = _PLAIN.replace("WorkflowProcesses>", "WorkFlowProcesses>")
    assert _unreadable(text) == [
        (
            5,
            "<WorkFlowProcesses> at line 5 in <Package> is no XPDL element (did you mean "
            "<WorkflowProcesses>?); it is kept as XML, unread",
        )
    ]


def test_children_of_a_prefixed_root_written_without_the_prefix_are_named() -> None:
    text = _PLAIN.replace('<Package xmlns="', '<x:Package xmlns:x="').replace(
        "</Package>", "</x:Package>"
    )
    assert [line for line, _ in _unreadable(text)] == [3, 5]
    assert _unreadable(text)[1][1] == (
        f"<WorkflowProcesses> at line 5 in <Package> is in no namespace, while <Package> is "
        f"in XPDL's ({_NS}): write it in the XPDL namespace (with the prefix its parent "
        "has) for it to be read; it is kept as XML, unread"
    )


def test_a_misspelt_element_in_a_split_is_warned_once() -> None:
    text = _PLAIN.replace(
        "<Route/></Activity>",
        '<Route/><TransitionRestrictions><TransitionRestriction><Split Type="Parallel">'
        "<TranstionRefs/></Split></TransitionRestriction></TransitionRestrictions>"
        "</Activity>",
    )
    assert [m.split(";")[0] for _, m in _unreadable(text)] == [
        "<TranstionRefs> at line 6 in <Split> is no XPDL element (did you mean <TransitionRefs>?)"
    ]


def test_xpdl_kept_without_a_model_and_tools_own_elements_are_not_warned_of() -> None:
    text = _PLAIN.replace(
        "<WorkflowProcesses>",
        '<Pools><Pool Id="p1" Process="P"/></Pools><Bogus/><WorkflowProcesses>',
    )
    assert _unreadable(text) == []


@pytest.mark.skipif(not _CONFORMANCE.is_dir(), reason="no conformance files here")
def test_no_conformance_file_gains_a_stray_warning() -> None:
    for path in sorted(_CONFORMANCE.rglob("*.xpdl")):
        package = load_xpdl(path.read_bytes(), schema=False)
        messages = [d.message for d in package.load_diagnostics]
        assert not [m for m in messages if "is no XPDL element" in m or "no namespace" in m]
