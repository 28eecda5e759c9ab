"""What a definition built in code can hold that an XPDL file cannot: validation names it
(``xml-character``, ``id-syntax``), and writing it fails with the element named, not deep in
lxml."""

from __future__ import annotations

import pytest

from wfengine import DefinitionError, Engine, PackageBuilder, dump_xpdl, load_xpdl, validate
from wfengine.errors import DeployError


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
