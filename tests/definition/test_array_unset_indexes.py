"""An ArrayType built without LowerIndex/UpperIndex is written with the schema's required
``0`` and ``wfe:unset`` naming the indexes the model has none of, so it reads back unbounded:
it used to read back as ``0``/``0`` (a one-element array to tools), not the model written.
Files without the mark (earlier versions wrote ``0`` alone) read as before."""

from __future__ import annotations

import pytest
from lxml import etree

from wfengine import PackageBuilder, dump_xpdl, load_xpdl
from wfengine.definition.model import Package
from wfengine.definition.model_data_types import ArrayType, BasicType, DataType
from wfengine.definition.xpdl.schema import check_schema


def _package(data_type: DataType) -> Package:
    pb = PackageBuilder("pkg")
    pb.type_declaration("Scores", data_type)
    p = pb.process("main")
    p.data_field("sc", "Scores")
    p.data_field("inline", data_type)
    p.start("s").end("e").sequence("s", "e")
    return pb.build()


@pytest.mark.parametrize(
    ("lower", "upper"), [(None, None), ("1", None), (None, "9"), ("1", "9"), ("0", "0")]
)
def test_the_written_array_reads_back_as_built(lower: str | None, upper: str | None) -> None:
    array = ArrayType(element=BasicType(type="FLOAT"), lower_index=lower, upper_index=upper)
    package = _package(array)
    written = dump_xpdl(package)
    assert check_schema(etree.fromstring(written).getroottree(), "2.2") == []
    again = load_xpdl(written)
    assert again.type_declarations == package.type_declarations
    assert again.process("main").data_fields == package.process("main").data_fields
    assert again.load_diagnostics == ()  # the mark is read, not warned of as unknown
    assert dump_xpdl(again) == written


_WRITTEN = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" xmlns:wfe="urn:wfengine:xpdl-extensions"
 Id="pkg"><PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor/><Created/></PackageHeader>
<TypeDeclarations><TypeDeclaration Id="Scores">
<ArrayType LowerIndex="{lower}" UpperIndex="0" {mark}><BasicType Type="FLOAT"/></ArrayType>
</TypeDeclaration></TypeDeclarations></Package>"""


@pytest.mark.parametrize(
    ("lower", "mark", "read"),
    [
        ("0", "", ("0", "0")),  # an earlier version's file: as before
        ("0", 'wfe:unset="LowerIndex UpperIndex"', (None, None)),
        ("0", 'wfe:unset="UpperIndex"', ("0", None)),
        ("3", 'wfe:unset="LowerIndex UpperIndex"', ("3", None)),  # a tool set it since
    ],
)
def test_only_a_marked_placeholder_reads_as_none(
    lower: str, mark: str, read: tuple[str | None, str | None]
) -> None:
    package = load_xpdl(_WRITTEN.format(lower=lower, mark=mark).encode())
    array = package.type_declarations[0].data_type
    assert isinstance(array, ArrayType)
    assert (array.lower_index, array.upper_index) == read
    assert package.load_diagnostics == ()
