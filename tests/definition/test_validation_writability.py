"""What a definition built in code can hold that an XPDL file cannot: validation names it
(``xml-character``, ``xml-name``, ``id-syntax``), and writing it fails with the element named,
not deep in lxml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wfengine import (
    DefinitionError,
    Engine,
    PackageBuilder,
    ProcessBuilder,
    dump_xpdl,
    load_xpdl,
    standard_loop,
    validate,
)
from wfengine.definition.model import ExtendedAttribute, Package, XmlNode
from wfengine.errors import DeployError, XpdlLoadError


def _codes(package: object) -> list[tuple[str, str, str | None]]:
    return [
        (d.severity.value, d.code, d.element_id)
        for d in validate(package)  # type: ignore[arg-type]
        if d.code in ("xml-character", "id-syntax")
    ]


def test_a_control_character_is_an_error_naming_the_element_and_writing_says_so() -> None:
    pb = PackageBuilder("claims")
    pb.process("claim").activity("check", name="Check\x0creceipts", performer="clerk")
    package = pb.build()
    assert _codes(package) == [("error", "xml-character", "check")]
    (found,) = [d for d in validate(package) if d.code == "xml-character"]
    assert "Activity 'check'" in found.message and "U+000C" in found.message
    assert "its name" in found.message
    with pytest.raises(DefinitionError, match=r"cannot write package 'claims': Activity 'check'"):
        dump_xpdl(package)
    with Engine() as engine, pytest.raises(DeployError, match="xml-character"):
        engine.deploy(package)  # refused in memory as on a SQL store, which keeps the XPDL


_BAD = "n \x01 1"  # U+0001 inside the text: no strip removes it


@pytest.mark.parametrize(
    ("build", "owner", "field"),
    [
        (lambda p: p.activity("a", script=_BAD), "Activity 'a'", "script"),
        (lambda p: p.activity("a", loop=standard_loop(_BAD)), "Activity 'a'", "condition"),
        (lambda p: p.activity("a", deadlines=[(_BAD, "late")]), "Activity 'a'", "duration"),
        (lambda p: p.activity("a", extended={"k": _BAD}), "Activity 'a'", "value"),
        (lambda p: p.intermediate("a", timer=_BAD), "Activity 'a'", "text"),
        (
            lambda p: p.activity("a").transition("a", "a", condition=_BAD),
            "Transition 't1'",
            "expression",
        ),
    ],
    ids=["script", "loop", "deadline", "extended-attribute", "timer", "condition"],
)
def test_a_nested_texts_finding_carries_its_elements_id(
    build: Callable[[ProcessBuilder], object], owner: str, field: str
) -> None:
    """It had element_id None although the message named the element (xml-name's carry it)."""
    pb = PackageBuilder("p")
    build(pb.process("main"))
    [found] = [d for d in validate(pb.build()) if d.code == "xml-character"]
    assert found.message.startswith(
        f"{owner} has a character XML cannot hold (U+0001) in its {field}"
    )
    assert found.element_id == owner.split("'")[1]


@pytest.mark.parametrize("text", ["tab\there", "line\nbreak", "ünïcödé ✓", "cr\rlf"])
def test_characters_xml_holds_are_no_finding(text: str) -> None:
    pb = PackageBuilder("p")
    pb.process("main").activity("a", name=text)
    package = pb.build()
    assert _codes(package) == []
    assert load_xpdl(dump_xpdl(package)).process().activity("a").name is not None


def test_an_id_that_is_no_name_token_is_a_warning_the_engine_runs_it() -> None:
    pb = PackageBuilder("expenses")
    p = pb.process("claim expenses")
    p.activity("check receipts").activity("done").transition("check receipts", "done")
    package = pb.build()
    assert _codes(package) == [
        ("warning", "id-syntax", "claim expenses"),
        ("warning", "id-syntax", "check receipts"),
    ]
    with Engine() as engine:
        engine.deploy(package)  # a warning: the engine does not mind
        iid = engine.start_process("claim expenses")
        assert engine.trace(iid) == ["check receipts", "done"]


@pytest.mark.parametrize("good", ["a", "a.b-c_d:e", "Ünïcode", "2024", "é1·x"])
def test_name_tokens_are_no_finding(good: str) -> None:
    pb = PackageBuilder("p")
    pb.process("main").activity(good)
    assert _codes(pb.build()) == []


_XML = "{http://www.w3.org/XML/1998/namespace}"


def _verbatim(node: XmlNode) -> Package:
    pb = PackageBuilder("p")
    p = pb.process("x")
    p.start("s").activity("a", extended=[ExtendedAttribute(name="ui", content=(node,))]).end("e")
    p.sequence("s", "a", "e")
    return pb.build()


def _names(package: Package) -> list[tuple[str, str, str | None]]:
    return [(d.severity.value, d.code, d.element_id) for d in validate(package)]


def test_a_verbatim_attribute_name_xml_cannot_hold_is_an_error_and_writing_says_so(
    tmp_path: Path,
) -> None:
    package = _verbatim(XmlNode(tag="{urn:v}form", attrs=(("field name", "1"),)))
    assert _names(package) == [("error", "xml-name", "a")]
    [found] = validate(package)
    assert "Activity 'a'" in found.message and "'field name'" in found.message
    with pytest.raises(DefinitionError, match=r"cannot write package 'p': Activity 'a'"):
        dump_xpdl(package)
    with Engine() as engine, pytest.raises(DeployError, match="xml-name"):
        engine.deploy(package)
    sqlite = Engine(db_url=f"sqlite:///{tmp_path / 'w.db'}")
    with sqlite, pytest.raises(DeployError, match="xml-name"):  # not lxml's bare ValueError
        sqlite.deploy(package)


@pytest.mark.parametrize(
    "node",
    [
        XmlNode(tag="{urn:v}field name"),
        XmlNode(tag="1st"),
        XmlNode(tag="v:form"),  # a prefix, not Clark notation
        XmlNode(tag="{urn v}form"),  # no URI
        XmlNode(tag="{urn:v}form", attrs=(("xmlns", "urn:w"),)),
        XmlNode(tag="{urn:v}form", attrs=(("{urn:v}a:b", "1"),)),
        XmlNode(tag="{urn:v}form", namespaces=(("w x", "urn:w"),)),
        XmlNode(tag="{urn:v}form", namespaces=(("xml", "urn:w"),)),
        XmlNode(tag="{urn:v}form", namespaces=(("xmlns", "urn:w"),)),
        XmlNode(tag="{urn:v}form", namespaces=(("w", ""),)),
        XmlNode(tag="{urn:v}form", namespaces=(("w", "urn w"),)),
        XmlNode(tag="{urn:v}form", children=(XmlNode(tag="{urn:v}row", attrs=(("2", "x"),)),)),
    ],
    ids=lambda node: repr(node.tag),
)
def test_verbatim_names_xml_cannot_hold_are_errors_and_are_not_written(node: XmlNode) -> None:
    package = _verbatim(node)
    assert _names(package) == [("error", "xml-name", "a")]
    try:
        written = dump_xpdl(package)
    except DefinitionError as exc:  # lxml refuses it: the error names the element
        assert "Activity 'a'" in str(exc)
        return
    # lxml wrote it without complaint, but the file does not read back as the package
    try:
        again = load_xpdl(written)
    except XpdlLoadError:
        return
    assert again != package


@pytest.mark.parametrize(
    ("node", "why"),
    [
        (XmlNode(tag="{urn:v}form", attrs=(("xmlns", "urn:w"),)), "called xmlns"),
        (XmlNode(tag="{urn:v}form", namespaces=(("xml", "urn:w"),)), "xml prefix"),
        (XmlNode(tag="{urn:v}form", namespaces=(("xmlns", "urn:w"),)), "reserved"),
        (XmlNode(tag="{urn:v}form", namespaces=(("w", ""),)), "cannot be undeclared"),
        (XmlNode(tag="{http://www.w3.org/2000/xmlns/}form"), "reserved"),
        (
            XmlNode(tag="{urn:v}form", attrs=(("{http://www.w3.org/2000/xmlns/}w", "u"),)),
            "reserved",
        ),
    ],
    ids=["xmlns-attribute", "xml-prefix", "xmlns-prefix", "empty-uri", "xmlns-tag", "xmlns-attr"],
)
def test_dump_refuses_the_names_lxml_would_write_into_a_file_that_does_not_read_back(
    node: XmlNode, why: str
) -> None:
    package = _verbatim(node)
    with pytest.raises(DefinitionError) as refused:
        dump_xpdl(package)
    message = str(refused.value)
    assert message.startswith("cannot write package 'p': Activity 'a' holds the verbatim")
    assert repr(node.tag) in message and why in message


def test_an_attribute_name_a_model_element_keeps_is_checked_too() -> None:
    pb = PackageBuilder("p")
    pb.process("x").activity("a")
    package = pb.build()
    [process] = package.workflow_processes
    [activity] = process.activities
    activity = activity.model_copy(update={"extra_attrs": (("bad name", "1"),)})
    process = process.model_copy(update={"activities": (activity,)})
    package = package.model_copy(update={"workflow_processes": (process,)})
    assert _names(package) == [("error", "xml-name", "a")]
    [found] = validate(package)
    assert "'bad name' (extra attrs)" in found.message


@pytest.mark.parametrize(
    "node",
    [
        XmlNode(tag="{urn:v}fórm", attrs=((_XML + "lang", "en"), ("{urn:w}ref", "w:thing"))),
        XmlNode(tag="form", namespaces=(("", ""),)),
        XmlNode(tag="{urn:v}form", namespaces=(("w", "urn:w"), ("", "urn:d"))),
        XmlNode(tag="{urn:v}form", namespaces=(("xml", _XML[1:-1]),)),
        XmlNode(tag="{}form", attrs=(("a.b-c_d", "1"),)),
    ],
    ids=lambda node: repr(node.tag),
)
def test_names_xml_holds_are_no_finding_and_are_written(node: XmlNode) -> None:
    package = _verbatim(node)
    assert _names(package) == []
    assert load_xpdl(dump_xpdl(package)).process("x").activity("a").id == "a"


@pytest.mark.parametrize(
    ("prefix", "uri"),
    [("w", ""), ("xml", "urn:w"), ("xmlns", "urn:w"), ("w x", "urn:w"), ("w", "urn w")],
)
def test_a_root_namespace_declaration_xml_cannot_hold_is_an_error_and_not_written(
    prefix: str, uri: str
) -> None:
    pb = PackageBuilder("p")
    pb.process("x").activity("a")
    package = pb.build().model_copy(update={"namespaces": (("v", "urn:v"), (prefix, uri))})
    assert _names(package) == [("error", "xml-name", "p")]
    with pytest.raises(DefinitionError, match=r"cannot write package 'p': Package 'p' declares"):
        dump_xpdl(package)
