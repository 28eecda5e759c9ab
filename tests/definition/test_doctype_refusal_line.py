"""A refused document type declaration names its line, as every other refusal of the XML does:
before, ``wfengine validate`` printed ``file: error xml-forbidden`` with no line, and the
author searched the file for it."""

from __future__ import annotations

import pytest

from wfengine.definition.xpdl.secure import parse_xml
from wfengine.errors import XpdlLoadError

_BODY = '<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p"/>\n'


@pytest.mark.parametrize(
    "doctype",
    [
        "<!DOCTYPE Package>",
        '<!DOCTYPE Package SYSTEM "http://example.com/xpdl.dtd">',
        '<!DOCTYPE Package [<!ENTITY who "me">]>',
        '<!DOCTYPE Package [<!ATTLIST Package Name CDATA "x">]>',
    ],
    ids=["plain", "external", "entity", "attribute default"],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-be"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_refused_doctype_names_its_line(doctype: str, encoding: str, newline: str) -> None:
    text = newline.join(['<?xml version="1.0"?>', "<!-- a comment -->", "", doctype, _BODY])
    with pytest.raises(XpdlLoadError) as raised:
        parse_xml(text.encode(encoding))
    found = raised.value.diagnostic
    assert (found.code, found.line) == ("xml-forbidden", 4)


@pytest.mark.parametrize(
    "before",
    [
        "<!-- written without <!DOCTYPE x>, as XPDL needs none -->",
        "<!--\n<!DOCTYPE x>\n-->",
        '<?editor note="<!DOCTYPE x>"?>',
    ],
    ids=["comment", "comment over lines", "processing instruction"],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_doctype_spelt_in_a_comment_before_it_does_not_move_its_line(
    before: str, encoding: str
) -> None:
    """``<!DOCTYPE`` in a comment or processing instruction ahead of the real declaration
    is text: the line named is the declaration's (before, the comment's)."""
    lines = [
        '<?xml version="1.0"?>',
        *before.split("\n"),
        "",
        '<!DOCTYPE Package [<!ENTITY e "x">]>',
    ]
    with pytest.raises(XpdlLoadError) as raised:
        parse_xml("\n".join([*lines, _BODY]).encode(encoding))
    found = raised.value.diagnostic
    assert (found.code, found.line) == ("xml-forbidden", len(lines))
