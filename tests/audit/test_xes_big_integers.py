"""An integer XES ``int`` cannot hold is written as a string: IEEE 1849's ``int`` is
``xs:long`` (64 bits), the engine keeps integers up to 4,096 bits, and a larger one as ``int``
made the log invalid XES."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from wfengine import Engine, PackageBuilder, write_xes


@pytest.mark.parametrize(
    ("value", "tag"),
    [(2**63 - 1, "int"), (-(2**63), "int"), (2**63, "string"), (-(2**63) - 1, "string")],
)
def test_an_integer_xes_int_cannot_hold_is_a_string(value: int, tag: str) -> None:
    """IEEE 1849's ``int`` is ``xs:long``: 64 bits; the engine keeps integers up to 4,096."""
    with Engine() as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.data_field("n", "INTEGER", extended={"wfengine:export": "true"})
        p.activity("a")
        e.deploy(pb.build())
        e.start_process("p", {"n": value})
        out = io.BytesIO()
        write_xes(e, out)
    (trace,) = etree.fromstring(out.getvalue()).iter("trace")
    (attribute,) = [a for a in trace if a.get("key") == "n"]
    assert (attribute.tag, attribute.get("value")) == (tag, str(value))
