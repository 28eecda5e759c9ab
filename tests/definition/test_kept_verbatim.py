"""XPDL elements kept verbatim stay verbatim when written and read back.

The reader keeps an XPDL element it does not take for model content in ``extras``: one outside
its list (a DataField directly in a process), in the wrong list (a Transition among the
Activities), or a second one where the model has room for one (a Route beside the activity's
Implementation). The writer puts list items into their list and sorts children into schema
order, so such an element could be read back as model content: a process would gain a data
field, an activity, a transition, or an activity change its body. The writer marks them
(``wfe:Verbatim``) and the reader keeps marked elements verbatim.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from hypothesis import given, settings
from lxml import etree

from tests.conftest import conformance_root
from tests.strategies import packages
from wfengine import dump_xpdl, load_xpdl
from wfengine.definition.model import XPDL22_NS, Package, Route
from wfengine.definition.xpdl import read_context
from wfengine.definition.xpdl.kept import READ_AS_MODEL, VERBATIM
from wfengine.definition.xpdl.reader import read_package
from wfengine.definition.xpdl.schema import check_schema
from wfengine.definition.xpdl.writer import write_package


def _doc(process: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{XPDL22_NS}" xmlns:v="urn:v" Id="p" Name="P">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>now</Created>
  </PackageHeader>
  <WorkflowProcesses><WorkflowProcess Id="wp"><ProcessHeader/>{process}
  </WorkflowProcess></WorkflowProcesses>
</Package>""".encode()


_ACTIVITY = '<Activity Id="a"><Implementation><No/></Implementation>{}</Activity>'
_FIELD = '<DataField Id="d"><DataType><BasicType Type="STRING"/></DataType></DataField>'

#: documents whose process or activity keeps a readable XPDL element in ``extras``
MISPLACED = {
    "DataField outside DataFields": _FIELD
    + "<Activities>"
    + _ACTIVITY.format("")
    + "</Activities>",
    "Activity outside Activities": '<Activity Id="b"><Implementation><No/></Implementation>'
    "</Activity><Activities>" + _ACTIVITY.format("") + "</Activities>",
    "Transition among the Activities": "<Activities>"
    + _ACTIVITY.format("")
    + '<Transition Id="t" From="a" To="a"/></Activities>',
    "Participant outside Participants": '<Participant Id="clerk"><ParticipantType Type="ROLE"/>'
    "</Participant><Activities>" + _ACTIVITY.format("") + "</Activities>",
    "ExtendedAttribute outside ExtendedAttributes": "<Activities>"
    + _ACTIVITY.format('<ExtendedAttribute Name="x" Value="y"/>')
    + "</Activities>",
    "a Route beside the Implementation": "<Activities>"
    + _ACTIVITY.format('<Route GatewayType="Parallel"/>')
    + "</Activities>",
    "a Description among the ExtendedAttributes": "<Activities>"
    + _ACTIVITY.format("<ExtendedAttributes><Description>x</Description></ExtendedAttributes>")
    + "</Activities>",
    "a Deadline among the TransitionRestrictions": "<Activities>"
    + _ACTIVITY.format(
        "<TransitionRestrictions><Deadline><DeadlineDuration>PT1H</DeadlineDuration>"
        "</Deadline></TransitionRestrictions>"
    )
    + "</Activities>",
}


@pytest.mark.parametrize("process", MISPLACED.values(), ids=MISPLACED.keys())
def test_a_kept_xpdl_element_is_not_read_back_as_model_content(process: str) -> None:
    package = load_xpdl(_doc(process))
    written = dump_xpdl(package)
    again = load_xpdl(written)
    assert again == package
    assert dump_xpdl(again) == written


def test_what_the_model_holds_stays_as_read() -> None:
    package = load_xpdl(_doc(MISPLACED["DataField outside DataFields"]))
    again = load_xpdl(dump_xpdl(package))
    assert again.process("wp").data_fields == ()
    assert [x.local_name for x in again.process("wp").extras] == ["DataField"]

    package = load_xpdl(_doc(MISPLACED["a Route beside the Implementation"]))
    again = load_xpdl(dump_xpdl(package))
    activity = again.process("wp").activity("a")
    assert not isinstance(activity.body, Route)
    assert [x.local_name for x in activity.extras] == ["Route"]

    package = load_xpdl(_doc(MISPLACED["a Description among the ExtendedAttributes"]))
    again = load_xpdl(dump_xpdl(package))
    assert again.process("wp").activity("a").description is None


def test_the_marked_element_is_in_its_list_and_the_file_meets_the_schema() -> None:
    package = load_xpdl(_doc(MISPLACED["DataField outside DataFields"]))
    root = etree.fromstring(dump_xpdl(package))
    [field] = root.iterfind(f".//{{{XPDL22_NS}}}DataFields/{{{XPDL22_NS}}}DataField")
    assert field.get(VERBATIM) == "true"
    assert check_schema(etree.ElementTree(root), "2.2") == []


def test_unreadable_list_items_come_back_in_the_same_place() -> None:
    # two items the reader could not model, in two lists: written back into their lists,
    # they return to the process's extras in the order they were kept
    package = load_xpdl(
        _doc(
            '<DataFields><DataField Id="odd"><DataType><BasicType Type="MONEY"/></DataType>'
            "</DataField></DataFields><Activities>"
            + _ACTIVITY.format("")
            + "<Activity/></Activities>"
        ),
        schema=False,
    )
    assert [x.local_name for x in package.process("wp").extras] == ["DataField", "Activity"]
    assert load_xpdl(dump_xpdl(package), schema=False) == package


# --------------------------------------------------------------------------- the table


@contextmanager
def _requests() -> Iterator[set[tuple[str, str]]]:
    """(element, child) local names the reader asks a Cursor for, as XPDL, while in the block."""
    asked: set[tuple[str, str]] = set()
    child, children = read_context.Cursor.child, read_context.Cursor.children

    def record(self: read_context.Cursor, names: tuple[str, ...], namespace: object) -> None:
        if namespace is None:
            asked.update((self.name, name) for name in names)

    def child_(self: read_context.Cursor, *names: str, namespace: str | None = None) -> object:
        record(self, names, namespace)
        return child(self, *names, namespace=namespace)

    def children_(self: read_context.Cursor, *names: str, **kw: object) -> object:
        record(self, names, kw.get("namespace"))
        return children(self, *names, **kw)  # type: ignore[arg-type]

    with (
        mock.patch.object(read_context.Cursor, "child", child_),
        mock.patch.object(read_context.Cursor, "children", children_),
    ):
        yield asked


def _unlisted(asked: set[tuple[str, str]]) -> set[tuple[str, str]]:
    return {
        (parent, name)
        for parent, name in asked
        if parent in READ_AS_MODEL and name not in READ_AS_MODEL[parent]
    }


@settings(max_examples=25, deadline=None)
@given(packages())
def test_read_as_model_lists_what_the_reader_reads(package: Package) -> None:
    with _requests() as asked:
        read_package(write_package(package), schema=False)
    assert _unlisted(asked) == set()


def test_read_as_model_lists_what_the_reader_reads_in_the_corpus() -> None:
    root = conformance_root()
    if root is None:
        pytest.skip("conformance corpus not found")
    with _requests() as asked:
        for path in sorted((root / "xpdl").rglob("*.xpdl")):
            read_package(path.read_bytes(), schema=False)
    assert _unlisted(asked) == set()
