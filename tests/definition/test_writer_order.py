"""The writer's child-order table agrees with the XPDL 2.2 schema it claims to follow.

The table in ``write_order`` is typed by hand from ``bpmnxpdl_40a.xsd``; this test reads the
XSD and checks each listed parent's names appear there, in the same relative order, so a typo
or a misplaced name fails here rather than as a schema finding on some user's file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from wfengine.definition.model import DEPRECATED_NS, XPDL22_NS
from wfengine.definition.xpdl.write_order import CHILD_ORDER, OTHER, order_children
from wfengine.definition.xpdl.write_xml import q

XS = "http://www.w3.org/2001/XMLSchema"
SCHEMA = (
    Path(__file__).resolve().parents[2] / "src/wfengine/definition/xpdl/schemas/bpmnxpdl_40a.xsd"
)
#: parents the table lists that are not 2.2 elements (the 1.0 Tool inside Implementation)
NOT_IN_22 = {"Tool"}


@cache
def _schema() -> etree._Element:
    return etree.parse(str(SCHEMA)).getroot()


def _content_model(name: str) -> etree._Element:
    """The complexType of the global element ``name`` (inline or by its ``type``)."""
    root = _schema()
    found = root.xpath(f"xs:element[@name='{name}']", namespaces={"xs": XS})
    assert isinstance(found, list) and found, f"no global element {name} in the 2.2 schema"
    element = found[0]
    assert isinstance(element, etree._Element)
    type_name = element.get("type")
    if type_name:
        typed = root.xpath(
            f"xs:complexType[@name='{type_name.split(':')[-1]}']", namespaces={"xs": XS}
        )
        assert isinstance(typed, list)
        result = typed[0]
    else:
        result = element
    assert isinstance(result, etree._Element)
    return result


def schema_sequence(name: str) -> list[str]:
    """Child local names of ``name`` in document order; ``##other`` for a wildcard.

    Group references (the ``DataTypes`` choice) are expanded in place; the content of inline
    child elements (``Ejb/JndiName`` inside Application's Type) is not descended into.
    """
    names: list[str] = []
    _collect(_content_model(name), names)
    return names


def _collect(node: etree._Element, names: list[str]) -> None:
    for child in node:
        if not isinstance(child.tag, str):
            continue
        kind = etree.QName(child).localname
        if kind == "any":
            names.append(OTHER)
        elif kind == "element":
            local = (child.get("ref") or child.get("name") or "").split(":")[-1]
            if local not in names:
                names.append(local)
        elif kind == "group" and child.get("ref"):
            group = _schema().xpath(
                f"xs:group[@name='{child.get('ref', '').split(':')[-1]}']", namespaces={"xs": XS}
            )
            assert isinstance(group, list) and isinstance(group[0], etree._Element)
            _collect(group[0], names)
        else:
            _collect(child, names)


@pytest.mark.parametrize("parent", sorted(set(CHILD_ORDER) - NOT_IN_22))
def test_table_follows_the_schema_sequence(parent: str) -> None:
    in_schema = schema_sequence(parent)
    listed = CHILD_ORDER[parent]
    missing = [n for n in listed if n not in in_schema]
    assert missing == [], f"{parent}: {missing} are not children in the 2.2 schema"
    positions = [in_schema.index(n) for n in listed]
    assert positions == sorted(positions), f"{parent}: table order differs from the schema"


def test_order_children_sorts_typed_and_kept_children_and_adds_the_marker() -> None:
    activity = etree.Element(
        q("Activity"),
        nsmap={None: XPDL22_NS, "d": DEPRECATED_NS},  # type: ignore[dict-item]
    )
    for tag in (
        "{urn:vendor}Mine",
        q("ExtendedAttributes"),
        q("Deadline"),
        q("Icon"),
        q("Deadline", DEPRECATED_NS),
        q("Description"),
        q("Unknown"),
    ):
        etree.SubElement(activity, tag)
    order_children(activity)
    assert [etree.QName(c).localname for c in activity] == [
        "Description",
        "Deadline",
        "Deadline",
        "Icon",
        "ExtendedAttributes",
        "Unknown",
        "Extensions",
        "Mine",
    ]


def test_order_children_leaves_unlisted_and_foreign_parents_alone() -> None:
    foreign = etree.Element("{urn:vendor}Box")
    for tag in ("b", "a"):
        etree.SubElement(foreign, tag)
    order_children(foreign)
    assert [c.tag for c in foreign] == ["b", "a"]


def test_list_items_kept_verbatim_are_written_inside_their_list() -> None:
    # a DataField (or Participant, Activity, Transition...) the reader could not model is
    # kept as XML on its parent; it was written at the parent's end, where the schema has no
    # place for it, and the written file broke the schema its source met
    from wfengine import dump_xpdl, load_xpdl

    doc = f"""<Package xmlns="{XPDL22_NS}" Id="p"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
      <Vendor>v</Vendor><Created>now</Created></PackageHeader><WorkflowProcesses>
      <WorkflowProcess Id="w"><ProcessHeader/><DataFields>
        <DataField Id="ok"><DataType><BasicType Type="STRING"/></DataType></DataField>
        <DataField Id="odd"><DataType><BasicType Type="MONEY"/></DataType></DataField>
      </DataFields><Activities><Activity Id="a"><Implementation><No/></Implementation>
      </Activity></Activities></WorkflowProcess></WorkflowProcesses></Package>"""
    package = load_xpdl(doc.encode(), schema=False)
    assert [d.code for d in package.load_diagnostics] == ["xpdl-unreadable"]
    written = etree.fromstring(dump_xpdl(package))
    fields = written.find(f".//{{{XPDL22_NS}}}DataFields")
    assert fields is not None
    assert [f.get("Id") for f in fields] == ["ok", "odd"]  # in the list, after the modelled one
    process = written.find(f".//{{{XPDL22_NS}}}WorkflowProcess")
    assert process is not None
    assert [etree.QName(c).localname for c in process][-1] == "Activities"
