"""The XES keys of exported data fields: an id that is an XML name without a colon is the key
as it stands (users' mining scripts read them); any other is ``wfengine:data:`` and the id,
escaped. An id that is no name (``2nd_contact``) made the log invalid XES (a key is an
``xs:Name``), and an id ``concept:name`` gave the trace a second name, by which
process-mining tools merged cases."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from wfengine import Engine, PackageBuilder, write_xes
from wfengine.audit.trace_data import xes_key

#: field id -> its XES key
KEYS = {
    "customer": "customer",
    "order-no": "order-no",
    "a.b": "a.b",
    "é1": "é1",
    "2nd_contact": "wfengine:data:2nd_contact",
    "-lead": "wfengine:data:-lead",
    "concept:name": "wfengine:data:concept:name",
    "wfengine:process": "wfengine:data:wfengine:process",
    "x:y": "wfengine:data:x:y",
    "a b": "wfengine:data:a_x0020_b",
    "x/y": "wfengine:data:x_x002F_y",
    "x²": "wfengine:data:x_x00B2_",
}

#: a schema whose one attribute is an ``xs:Name``, as an XES key is (IEEE 1849's XSD)
_NAME_SCHEMA = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="k"><xs:complexType>
    <xs:attribute name="key" type="xs:Name" use="required"/>
  </xs:complexType></xs:element>
</xs:schema>"""


def _is_xs_name(key: str) -> bool:
    schema = etree.XMLSchema(etree.fromstring(_NAME_SCHEMA))
    element = etree.Element("k", key=key)
    return bool(schema.validate(etree.ElementTree(element)))


def _trace_attributes() -> list[tuple[str, str]]:
    with Engine() as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        for field_id in KEYS:
            p.data_field(field_id, "STRING", extended={"wfengine:export": "true"})
        p.activity("a")
        e.deploy(pb.build())
        e.start_process("p", {field_id: f"v {field_id}" for field_id in KEYS})
        out = io.BytesIO()
        write_xes(e, out)
    (trace,) = etree.fromstring(out.getvalue()).iter("trace")
    return [(a.get("key"), a.get("value")) for a in trace if a.tag != "event"]


def test_every_key_is_an_xml_name_and_the_trace_has_one_name() -> None:
    attributes = _trace_attributes()
    assert [k for k, _ in attributes if not _is_xs_name(k)] == []
    assert [v for k, v in attributes if k == "concept:name"] == ["pi-1"]
    assert [v for k, v in attributes if k == "wfengine:process"] == ["p"]


def test_each_field_has_its_documented_key_and_keeps_its_value() -> None:
    written = dict(_trace_attributes())
    assert {field_id: written.get(key) for field_id, key in KEYS.items()} == {
        field_id: f"v {field_id}" for field_id in KEYS
    }


@pytest.mark.parametrize(("field_id", "key"), list(KEYS.items()))
def test_the_key_of_a_field_id(field_id: str, key: str) -> None:
    assert xes_key(field_id) == key


def test_two_ids_never_share_a_key() -> None:
    """The escape marks itself: a ``_x`` an id holds is escaped too."""
    assert xes_key("x:a b") != xes_key("x:a_x0020_b")
