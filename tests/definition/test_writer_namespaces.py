"""Vendor namespace prefixes that are also the writer's own (``wfe``, ``deprecated``, ``xsi``).

A source's prefixes stay as they were declared: attribute values and expressions may name them
(``Value="wfe:Special"``). The writer's own namespaces then take other prefixes; readers go by
the namespace, never the prefix.
"""

from __future__ import annotations

from lxml import etree

from wfengine import dump_xpdl, load_xpdl
from wfengine.definition.model import DEPRECATED_NS, WFENGINE_NS, Pool, TaskImplementation
from wfengine.definition.xpdl.schema import check_schema

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

#: a file whose vendor binds ``wfe`` and ``deprecated``, and that needs both of the writer's
#: own namespaces when written: a Pool's ExtendedAttributes (wfengine's namespace in 2.2) and
#: two 1.0 Tools in one activity (``deprecated:Tool``)
COLLIDING = b"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" xmlns:old="http://www.wfmc.org/2002/XPDL1.0"
    xmlns:wfe="http://vendor.example/wfe" xmlns:deprecated="http://vendor.example/dep"
    Id="p" Name="P" wfe:a="1">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <Pools>
    <Pool Id="pool" Process="wp" BoundaryVisible="true">
      <ExtendedAttributes><ExtendedAttribute Name="colour" Value="blue"/></ExtendedAttributes>
    </Pool>
  </Pools>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n">
      <ProcessHeader/>
      <Applications><Application Id="a"/><Application Id="b"/></Applications>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="calls">
          <Implementation><old:Tool Id="a"/><old:Tool Id="b"/></Implementation>
        </Activity>
        <Activity Id="e" deprecated:z="2"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="s" To="calls"/>
        <Transition Id="t2" From="calls" To="e"/>
      </Transitions>
      <ExtendedAttributes><ExtendedAttribute Name="type" Value="wfe:Special"/></ExtendedAttributes>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>"""


def test_a_vendors_prefixes_stay_when_the_writer_uses_the_same_ones() -> None:
    package = load_xpdl(COLLIDING)
    written = dump_xpdl(package)
    root = etree.fromstring(written)
    assert root.nsmap["wfe"] == "http://vendor.example/wfe"
    assert root.nsmap["deprecated"] == "http://vendor.example/dep"
    assert b'wfe:a="1"' in written
    assert b'deprecated:z="2"' in written
    assert b'Value="wfe:Special"' in written


def test_the_writers_own_namespaces_take_other_prefixes_and_read_back_the_same() -> None:
    package = load_xpdl(COLLIDING)
    root = etree.fromstring(dump_xpdl(package))
    own = {uri: prefix for prefix, uri in root.nsmap.items()}
    assert own[WFENGINE_NS] not in ("wfe", "deprecated")
    assert own[DEPRECATED_NS] not in ("wfe", "deprecated")
    again = load_xpdl(dump_xpdl(package))
    assert again == package
    assert again.namespaces == (
        ("wfe", "http://vendor.example/wfe"),
        ("deprecated", "http://vendor.example/dep"),
    )
    [pool] = again.pools
    assert isinstance(pool, Pool)
    assert [a.name for a in pool.extended_attributes] == ["colour"]
    body = again.process("wp").activity("calls").body
    assert isinstance(body, TaskImplementation)
    assert [t.application_id for t in body.tools] == ["a", "b"]
    assert check_schema(etree.ElementTree(root), "2.2") == []


def test_the_schema_instance_namespace_keeps_the_sources_prefix() -> None:
    """.NET tools declare it as ``i``: no second ``xsi`` declaration is added."""
    source = COLLIDING.replace(
        b'Id="p" Name="P" wfe:a="1">',
        b'xmlns:i="http://www.w3.org/2001/XMLSchema-instance" Id="p" Name="P" '
        b'i:schemaLocation="http://vendor.example/wfe wfe.xsd">',
    )
    package = load_xpdl(source)
    written = dump_xpdl(package)
    assert b'i:schemaLocation="http://vendor.example/wfe wfe.xsd"' in written
    assert etree.fromstring(written).nsmap.get("xsi") is None
    assert load_xpdl(written) == package
    assert ("i", XSI_NS) in package.namespaces


#: declarations made below the root, that QName values rely on: an embedded XML Schema that
#: declares its own ``xsd`` and ``o`` (and a default namespace), and vendor content whose
#: attribute and text name ``w:`` declared on the vendor element and on the ExtendedAttribute
NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="ns" Name="ns">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>now</Created>
  </PackageHeader>
  <TypeDeclarations>
    <TypeDeclaration Id="Order">
      <SchemaType>
        <xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:o="urn:order"
            targetNamespace="urn:order">
          <xsd:element name="order" type="o:OrderT"/>
          <xsd:complexType name="OrderT">
            <xsd:sequence><xsd:element name="qty" type="xsd:int"/></xsd:sequence>
          </xsd:complexType>
        </xsd:schema>
      </SchemaType>
    </TypeDeclaration>
    <TypeDeclaration Id="Line">
      <SchemaType>
        <xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="urn:line"
            targetNamespace="urn:line">
          <xsd:element name="line" type="LineT"/>
          <xsd:simpleType name="LineT"><xsd:restriction base="xsd:string"/></xsd:simpleType>
        </xsd:schema>
      </SchemaType>
    </TypeDeclaration>
  </TypeDeclarations>
  <WorkflowProcesses>
    <WorkflowProcess Id="p">
      <ProcessHeader/>
      <Activities>
        <Activity Id="a"><Implementation><No/></Implementation>
          <ExtendedAttributes>
            <ExtendedAttribute Name="cfg" xmlns:x="urn:x">
              <v:config xmlns:v="urn:vendor" xmlns:w="urn:w" v:ref="w:thing">w:other<v:k
                v:of="x:y"/></v:config>
            </ExtendedAttribute>
          </ExtendedAttributes>
        </Activity>
      </Activities>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>"""


def _in_scope(element: etree._Element, qname: str) -> str:
    """The namespace ``qname``'s prefix names where ``element`` is (as a QName value reads)."""
    prefix = qname.split(":", 1)[0] if ":" in qname else None
    return element.nsmap[prefix]


def test_declarations_below_the_root_stay_for_the_qnames_in_values() -> None:
    """They were dropped: the written schema's type="o:OrderT" named an undeclared prefix (it
    no longer compiled), and v:ref="w:thing" lost its w."""
    package = load_xpdl(NESTED)
    written = dump_xpdl(package)
    root = etree.fromstring(written)
    for schema in root.iter("{http://www.w3.org/2001/XMLSchema}schema"):
        etree.XMLSchema(schema)  # compiles: every QName in it resolves
    order, qty, line = root.iter("{http://www.w3.org/2001/XMLSchema}element")
    assert _in_scope(order, order.get("type")) == "urn:order"
    assert _in_scope(qty, qty.get("type")) == "http://www.w3.org/2001/XMLSchema"
    assert _in_scope(line, line.get("type")) == "urn:line"  # the schema's default namespace
    config = next(root.iter("{urn:vendor}config"))
    assert _in_scope(config, config.get("{urn:vendor}ref")) == "urn:w"
    assert _in_scope(config, config.text) == "urn:w"
    assert _in_scope(config[0], config[0].get("{urn:vendor}of")) == "urn:x"
    assert check_schema(etree.ElementTree(root), "2.2") == []


def test_kept_declarations_read_back_the_same() -> None:
    package = load_xpdl(NESTED)
    again = load_xpdl(dump_xpdl(package))
    assert again == package
    assert dump_xpdl(again) == dump_xpdl(package)


#: extended attributes whose Value, text or text after an element names a prefix declared
#: below the root (on the wrapper, on the attribute itself), as tools that type values write
PREFIXED_VALUES = b"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="P">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <Pools>
    <Pool Id="pool" Process="wp" BoundaryVisible="true">
      <ExtendedAttributes>
        <ExtendedAttribute xmlns:wfe="http://vendor.example/own" Name="kind" Value="wfe:Lane"/>
      </ExtendedAttributes>
    </Pool>
  </Pools>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n">
      <ProcessHeader/>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
      </Activities>
      <ExtendedAttributes xmlns:o="http://vendor.example/orders">
        <ExtendedAttribute Name="type" Value="o:OrderType"/>
        <ExtendedAttribute Name="text" xmlns:t="http://vendor.example/types">t:Money</ExtendedAttribute>
        <ExtendedAttribute Name="mixed"><o:note o:ref="o:x"/>o:After</ExtendedAttribute>
      </ExtendedAttributes>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>"""


def _qnames(document: bytes) -> list[tuple[str | None, str | None]]:
    """Each ExtendedAttribute's Name and the namespace its value's prefix is bound to there."""
    out = []
    for element in etree.fromstring(document).iter("{*}ExtendedAttribute"):
        value = element.get("Value") or "".join(element.itertext()).split()[-1]
        prefix = value.split(":", 1)[0]
        out.append((element.get("Name"), element.nsmap.get(prefix)))
    return out


def test_a_prefix_an_extended_attributes_value_names_keeps_its_namespace_when_written() -> None:
    package = load_xpdl(PREFIXED_VALUES)
    written = dump_xpdl(package)
    assert (
        _qnames(written)
        == _qnames(PREFIXED_VALUES)
        == [
            ("kind", "http://vendor.example/own"),
            ("type", "http://vendor.example/orders"),
            ("text", "http://vendor.example/types"),
            ("mixed", "http://vendor.example/orders"),
        ]
    )
    again = load_xpdl(written)
    assert again == package
    assert dump_xpdl(again) == written
    assert check_schema(etree.fromstring(written).getroottree(), "2.2") == []
