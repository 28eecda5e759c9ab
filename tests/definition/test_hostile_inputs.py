"""Hostile documents (issue 8, item 7): each is refused or read in time linear in its size.

The documents come from :mod:`tests.definition.hostile_inputs`, scaled down from the issue's
sizes but kept large enough that the old quadratic code would take minutes here; nothing
asserts a wall-clock time. Where the work can be counted, the count is asserted instead.
"""

from __future__ import annotations

import io
import random
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.definition.hostile_inputs import (
    _SMALL_PROCESS,
    _package,
    deep_nesting,
    long_activity_name,
    long_text,
    many_attributes_inside,
    many_package_attributes,
)
from wfengine.definition import diagnostics, render
from wfengine.definition.io import load_xpdl
from wfengine.definition.model import WFENGINE_NS, XPDL22_NS, Package
from wfengine.definition.xpdl.read_nodes import _PREFIXED, attribute_items
from wfengine.definition.xpdl.reader import read_package
from wfengine.definition.xpdl.secure import (
    DEFAULT_MAX_BYTES,
    MAX_DEPTH,
    MAX_TEXT_BYTES,
    parse_xml,
    read_limited,
)
from wfengine.definition.xpdl.write_order import order_tree
from wfengine.definition.xpdl.write_xml import q
from wfengine.definition.xpdl.writer import write_package
from wfengine.errors import XpdlLoadError


def _refusal(data: bytes) -> diagnostics.Diagnostic:
    with pytest.raises(XpdlLoadError) as info:
        parse_xml(data)
    assert info.value.__cause__ is None
    return info.value.diagnostic


# -- many attributes on one element --------------------------------------------------------


def test_fifty_thousand_package_attributes_are_all_kept_in_order() -> None:
    # lxml's attrib.items() made this minutes (a quadratic lookup per value); now well under 1 s
    package = read_package(many_package_attributes(50_000), schema=False)
    assert len(package.extra_attrs) == 50_000
    assert package.extra_attrs[0] == ("a0", "v")
    assert package.extra_attrs[-1] == ("a49999", "v")
    assert package.workflow_processes[0].id == "wp"


def test_attribute_items_matches_lxml_attrib_items() -> None:
    root = etree.fromstring(
        b'<P xmlns="urn:d" xmlns:v="urn:v" b="1" v:c="&amp;2" xml:lang="en" a="&#65;"/>'
    )
    assert attribute_items(root) == tuple((str(k), str(v)) for k, v in root.attrib.items())
    assert attribute_items(root)[1] == ("{urn:v}c", "&2")
    assert attribute_items(etree.fromstring(b"<P/>")) == ()
    for count in (32, 33, 100):  # around the switch from attrib.items() to the XPath walk
        many = "".join(f' {"v:" if i % 2 else ""}n{i}="&lt;{i}"' for i in range(count))
        root = etree.fromstring(f'<P xmlns:v="urn:v" {many}/>'.encode())
        assert attribute_items(root) == tuple((str(k), str(v)) for k, v in root.attrib.items())


def test_a_long_word_before_a_colon_in_a_value_is_read_in_linear_time() -> None:
    """Every attribute value and text is searched for namespace prefixes (``o:OrderT``): the
    search once began again at each letter of a word that turned out not to precede a colon,
    so 40,000 letters then " :" took 24 s to load, and this value would take an hour."""
    word = "a" * 300_000
    body = _SMALL_PROCESS.replace(
        "</WorkflowProcess>",
        '<ExtendedAttributes><ExtendedAttribute Name="note" Value="'
        + word
        + ' :"/></ExtendedAttributes></WorkflowProcess>',
    )
    package = read_package(_package(body), schema=False)
    (attribute,) = package.workflow_processes[0].extended_attributes
    assert attribute.value == word + " :"


def test_prefixes_are_still_found_at_the_start_of_words() -> None:
    assert _PREFIXED.findall("o:OrderT, x-y.z:thing (w:a) urn:order") == [
        "o",
        "x-y.z",
        "w",
        "urn",
    ]
    # a word that cannot be a prefix (it starts with a digit or a dot) hides no prefix inside
    assert _PREFIXED.findall("1abc:x .def:y") == []


# -- nesting depth and text length: their own codes, with the limit and the line ------------


def test_nesting_deeper_than_the_limit_is_xml_too_deep_with_its_line() -> None:
    document = deep_nesting(300)
    finding = _refusal(document)
    assert finding.code == "xml-too-deep"
    assert f"limit of {MAX_DEPTH} levels" in finding.message
    vendor_line = document[: document.index(b"<x:e")].count(b"\n") + 1
    assert finding.line == vendor_line
    assert f"at line {vendor_line}" in finding.message
    assert "entit" not in finding.message


def test_nesting_exactly_at_the_limit_is_accepted() -> None:
    # the Package is the first level, the vendor chain the other MAX_DEPTH - 1
    tree = parse_xml(deep_nesting(MAX_DEPTH - 1))
    assert tree.getroot().get("Id") == "pkg"
    assert _refusal(deep_nesting(MAX_DEPTH)).code == "xml-too-deep"


def test_text_longer_than_the_limit_is_xml_text_too_large_with_its_line() -> None:
    finding = _refusal(long_text(MAX_TEXT_BYTES + 1))
    assert finding.code == "xml-text-too-large"
    assert str(MAX_TEXT_BYTES) in finding.message
    assert finding.line == 4
    assert "at line 4" in finding.message


def test_text_at_the_limit_is_accepted() -> None:
    package = read_package(long_text(MAX_TEXT_BYTES), schema=False)
    assert package.redefinable_header is not None
    assert len(package.redefinable_header.author or "") == MAX_TEXT_BYTES


def test_a_too_long_attribute_value_is_xml_text_too_large_where_libxml2_limits_it() -> None:
    # libxml2 limits a long attribute value only on some input paths (here: no encoding
    # declaration); where it does, the refusal must say so and not blame entities
    value = b"N" * (MAX_TEXT_BYTES + 1)
    assert _refusal(b'<Package Id="' + value + b'"/>').code == "xml-text-too-large"


def test_the_new_codes_are_catalogued_errors() -> None:
    for code in ("xml-too-deep", "xml-text-too-large"):
        severity, meaning = diagnostics.CODES[code]
        assert severity is diagnostics.Severity.ERROR
        assert meaning


# -- reading at most the limit -------------------------------------------------------------


class _Endless(io.RawIOBase):
    """Zero bytes for ever, at most ``chunk`` per read (like a pipe), counting what it gave."""

    def __init__(self, chunk: int = 65536) -> None:
        self.chunk = chunk
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.chunk)
        buffer[:n] = bytes(n)
        self.given += n
        return n


def test_an_endless_stream_is_refused_after_one_byte_past_the_limit() -> None:
    stream = _Endless(chunk=1000)
    with pytest.raises(XpdlLoadError) as info:
        read_limited(stream, max_bytes=10_000)  # type: ignore[arg-type]
    assert info.value.diagnostic.code == "xml-too-large"
    assert "10000" in info.value.diagnostic.message
    assert stream.given == 10_001


def test_short_reads_are_joined_up_to_the_end() -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = data

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            n = min(len(buffer), 3, len(self.data))
            buffer[:n], self.data = self.data[:n], self.data[n:]
            return n

    document = b"<Package Id='p'/>"
    assert read_limited(Trickle(document), max_bytes=len(document)) == document  # type: ignore[arg-type]


def test_load_xpdl_reads_a_stream_up_to_the_limit_only() -> None:
    stream = _Endless()
    with pytest.raises(XpdlLoadError) as info:
        load_xpdl(io.BufferedReader(stream))
    assert info.value.diagnostic.code == "xml-too-large"
    assert stream.given <= DEFAULT_MAX_BYTES + 1 + 65536  # the buffer may read one chunk ahead


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_load_xpdl_of_dev_zero_is_too_large_and_names_the_file() -> None:
    with pytest.raises(XpdlLoadError) as info:
        load_xpdl("/dev/zero")
    assert info.value.diagnostic.code == "xml-too-large"
    assert info.value.diagnostic.file == "/dev/zero"


def test_load_xpdl_still_reads_a_file_and_a_stream(tmp_path: Path) -> None:
    document = many_package_attributes(3)
    path = tmp_path / "p.xpdl"
    path.write_bytes(document)
    from_file = load_xpdl(path, schema=False)
    assert from_file.source_file == str(path)
    assert load_xpdl(io.BytesIO(document), schema=False).extra_attrs == from_file.extra_attrs


# -- rendering a huge name -----------------------------------------------------------------


def _old_wrap(text: str) -> str:
    """The label wrapping before the fix: the whole text through textwrap (quadratic)."""
    lines = textwrap.wrap(" ".join(text.split()), render.LABEL_WIDTH, break_long_words=True)
    return "\n".join(lines[: render.LABEL_LINES]) + ("…" if len(lines) > render.LABEL_LINES else "")


def test_wrapping_a_prefix_draws_the_same_labels_as_wrapping_everything() -> None:
    rng = random.Random(8)
    alphabet = "ab \t\n"
    for _ in range(600):
        length = rng.randrange(0, 400)
        words = [
            "x" * rng.choice((1, 2, 5, 23, 24, 25, 26, 47, 48, 49, 70)) for _ in range(length // 8)
        ]
        texts = (
            " ".join(words),
            "".join(rng.choice(alphabet) for _ in range(length)),
            rng.choice((" ", "\n  ")).join(words),
        )
        for text in texts:
            assert render._wrap(text) == _old_wrap(text), repr(text)


def test_a_label_is_wrapped_from_a_bounded_prefix_whatever_the_name_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrapped: list[int] = []
    real_wrap = textwrap.wrap

    def counting_wrap(text: str, *args: Any, **kwargs: Any) -> list[str]:
        wrapped.append(len(text))
        return real_wrap(text, *args, **kwargs)

    monkeypatch.setattr(textwrap, "wrap", counting_wrap)  # render calls textwrap.wrap
    for length in (1_000, 1_000_000, 2_000_000):
        wrapped.clear()
        package = read_package(long_activity_name(length), schema=False)
        dot = render.package_to_dot(package)
        assert max(wrapped) <= (render.LABEL_LINES + 1) * (render.LABEL_WIDTH + 1) + 1
        label = re.search(r'"task" \[.*label="([^"]*)"', dot)
        assert label is not None
        assert label[1] == "\\n".join(["N" * render.LABEL_WIDTH] * render.LABEL_LINES) + "…"
        assert len(dot) < 2_000  # the name is drawn shortened, not carried along


def test_long_ids_are_shortened_in_tooltips_and_kept_whole_as_node_names() -> None:
    long_id = "i" * 5_000
    document = long_activity_name(3).replace(b'"task"', f'"{long_id}"'.encode())
    dot = render.package_to_dot(read_package(document, schema=False))
    assert f'"{long_id}" [' in dot  # the node keeps its identity
    tooltips = re.findall(r'tooltip="([^"]*)"', dot)
    assert max(len(t) for t in tooltips) <= render.TOOLTIP_MAX
    assert any(t.endswith("…") for t in tooltips)


# -- writing a big process -----------------------------------------------------------------


def test_ordering_a_tree_of_twenty_thousand_activities_moves_big_subtrees_linearly() -> None:
    """Each level's children are out of schema order, so the big subtrees must move.

    The old slice assignment re-attached every child, which lxml does in time quadratic in
    the subtree (about 20 s here, four times that at double the size); appending is linear.
    """

    def sub(parent: etree._Element, local: str, **attrs: str) -> etree._Element:
        return etree.SubElement(parent, q(local), attrib=attrs)

    nsmap = {None: XPDL22_NS, "wfe": WFENGINE_NS}
    root = etree.Element(q("Package"), nsmap=nsmap)  # type: ignore[arg-type]  # None: default
    processes = sub(root, "WorkflowProcesses")
    sub(root, "PackageHeader")
    process = sub(processes, "WorkflowProcess", Id="wp")
    sub(process, "Transitions")
    activities = sub(process, "Activities")
    sub(process, "ProcessHeader")
    for i in range(20_000):
        activity = sub(activities, "Activity", Id=f"a{i}")
        sub(activity, "Performers")
        sub(sub(activity, "Implementation"), "No")

    order_tree(root)

    def names(element: etree._Element) -> list[str]:
        return [etree.QName(child).localname for child in element]

    assert names(root) == ["PackageHeader", "WorkflowProcesses"]
    assert names(process) == ["ProcessHeader", "Activities", "Transitions"]
    assert len(activities) == 20_000
    assert [activities[0].get("Id"), activities[-1].get("Id")] == ["a0", "a19999"]
    assert all(names(a) == ["Implementation", "Performers"] for a in activities)
    assert root.nsmap["wfe"] == WFENGINE_NS and process.nsmap == root.nsmap


def test_unused_declarations_go_and_an_attribute_spelling_one_out_stays() -> None:
    name = f' xmlns:wfe="{WFENGINE_NS}" > '
    data = write_package(Package(id="p", name=name))
    start_tag = data[: data.index(b">", data.index(b"<Package"))]
    assert b"xmlns:wfe" not in start_tag.split(b"Name=")[0]
    root = etree.fromstring(data)
    assert set(root.nsmap) == {None}
    assert root.get("Name") == name
    assert read_package(data, schema=False).name == name


def test_used_own_declarations_stay() -> None:
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}type"
    root = etree.fromstring(write_package(Package(id="p", extra_attrs=((xsi, "t"),))))
    assert root.nsmap == {None: XPDL22_NS, "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    assert root.get(xsi) == "t"


def _same_model(document: bytes) -> tuple[Package, Package]:
    first = read_package(document, schema=False)
    again = read_package(write_package(first), schema=False)
    return first, again.model_copy(update={"source_version": first.source_version})


def test_twenty_thousand_package_attributes_are_written_back_in_order() -> None:
    """lxml sets attributes one by one in quadratic time: this took 42 s, 200,000 hours."""
    first, again = _same_model(many_package_attributes(20_000))
    assert again == first
    assert len(again.extra_attrs) == 20_000


def test_many_attributes_inside_the_package_are_written_back() -> None:
    first, again = _same_model(many_attributes_inside(10_000))
    assert again == first
    task = again.workflow_processes[0].activity("task")
    assert len(task.extra_attrs) == 10_000
    assert ("{urn:where}b4999", "<4999>") in task.extra_attrs
    written = etree.fromstring(write_package(first))
    activity = written.find(f".//{{{XPDL22_NS}}}Activity[@Id='task']")
    assert activity is not None
    assert [etree.QName(c).text for c in activity] == [
        f"{{{XPDL22_NS}}}Implementation",
        f"{{{XPDL22_NS}}}Extensions",
        "{urn:vendor}box",
    ]
    box = activity[2]
    assert len(box.attrib) == 10_000 and box[0].text == "text" and box[0].tail == "tail"
    bare = box[1]
    assert bare.tag == "bare" and len(bare.attrib) == 10_000 and bare[0].tag == "inner"


def test_an_element_with_few_attributes_is_written_as_before() -> None:
    # below the bulk limit nothing changes, so ordinary documents are written byte for byte
    # as they were; the bulk path keeps the same attribute order
    few, bulk = (read_package(many_package_attributes(n), schema=False) for n in (3, 100))
    assert write_package(few).count(b' a1="v"') == 1
    head = write_package(bulk).split(b">", 2)[1]
    assert head.index(b'Id="pkg"') < head.index(b' a0="v"') < head.index(b' a99="v"')
