"""``wfengine convert``: writes XPDL 2.2 that loads back to the same model."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tests.cli.documents import LEAVE_REQUEST, MALFORMED, ORDER_FULFILMENT, XPDL22, write
from tests.definition.hostile_inputs import many_activities
from tests.definition.repeated_ids import REPEATED_IDS
from wfengine.cli.main import main
from wfengine.definition.io import load_xpdl


def test_writes_xpdl_22_that_reloads_to_the_same_model(tmp_path: Path) -> None:
    out = tmp_path / "converted.xpdl"
    result = CliRunner().invoke(main, ["convert", str(ORDER_FULFILMENT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    root = etree.fromstring(out.read_bytes())
    assert root.tag == f"{{{XPDL22}}}Package"
    assert load_xpdl(out) == load_xpdl(ORDER_FULFILMENT)
    size = out.stat().st_size
    assert result.stderr.strip() == f"wrote {out} (XPDL 2.2 from 2.2, {size} bytes)"


def test_dash_writes_to_stdout() -> None:
    result = CliRunner().invoke(main, ["convert", str(LEAVE_REQUEST), "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"<?xml")
    assert load_xpdl(result.stdout_bytes) == load_xpdl(LEAVE_REQUEST)


def test_converts_an_xpdl_10_document(tmp_path: Path) -> None:
    old = write(
        tmp_path,
        "old.xpdl",
        """<?xml version="1.0"?>
<Package xmlns="http://www.wfmc.org/2002/XPDL1.0" Id="old" Name="Old">
  <PackageHeader><XPDLVersion>1.0</XPDLVersion><Vendor>t</Vendor><Created>x</Created></PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="p">
      <ProcessHeader/>
      <Activities>
        <Activity Id="a"><Implementation><No/></Implementation></Activity>
      </Activities>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
""",
    )
    result = CliRunner().invoke(main, ["convert", str(old), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert etree.fromstring(result.stdout_bytes).tag == f"{{{XPDL22}}}Package"
    assert load_xpdl(result.stdout_bytes).process("p").activity("a").id == "a"


def test_unloadable_input_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.xpdl", MALFORMED)
    out = tmp_path / "out.xpdl"
    result = CliRunner().invoke(main, ["convert", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert "xml-malformed" in result.stderr
    assert not out.exists()


def test_missing_input_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(tmp_path / "no.xpdl"), "-o", "-"])
    assert result.exit_code == 2
    assert "no.xpdl" in result.stderr


def test_unwritable_output_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "out.xpdl"
    result = CliRunner().invoke(main, ["convert", str(LEAVE_REQUEST), "-o", str(target)])
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and str(target) in result.stderr


def test_output_option_is_required() -> None:
    assert CliRunner().invoke(main, ["convert", str(LEAVE_REQUEST)]).exit_code == 2


def test_converts_a_process_of_many_activities_into_schema_order(tmp_path: Path) -> None:
    """The issue's shape (58,000 activities took minutes); 2,000 keep this test quick."""
    source = tmp_path / "many.xpdl"
    source.write_bytes(many_activities(2_000))
    out = tmp_path / "converted.xpdl"
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    converted = load_xpdl(out, schema=False)
    assert converted == load_xpdl(source, schema=False).model_copy(
        update={"source_version": converted.source_version, "source_file": str(out)}
    )
    activity = etree.fromstring(out.read_bytes()).find(f".//{{{XPDL22}}}Activity[@Id='a0']")
    assert activity is not None
    assert [etree.QName(child).localname for child in activity] == [
        "Implementation",
        "Performers",
        "ExtendedAttributes",
    ]
    assert b"xmlns:wfe" not in out.read_bytes()  # an unused declaration is left out


def test_names_each_id_it_renames_for_xpdl_22_on_stderr(tmp_path: Path) -> None:
    source = write(tmp_path, "repeated.xpdl", REPEATED_IDS)
    out = tmp_path / "out.xpdl"
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "renamed activity 'A' of activity set 'S' of process 'p2' is now 'A.S' "
        "(XPDL 2.2 keys it package-wide)"
    )
    assert len(lines) == 8 and lines[-1].startswith(f"wrote {out} (XPDL 2.2 from 2.1,")
    converted = load_xpdl(out).process("p2")
    assert [a.id for a in converted.activities][:2] == ["start.p2", "A.p2"]


def test_a_written_document_over_the_read_limit_is_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The written form is indented (about 1.65 times a compact source), so a compact file
    under the 16 MiB wfengine reads could convert to one it refuses (``xml-too-large``),
    silently. The limit is lowered here to spare writing 16 MiB."""
    from wfengine.definition.xpdl import secure

    monkeypatch.setattr(secure, "DEFAULT_MAX_BYTES", 1000)
    out = tmp_path / "converted.xpdl"
    result = CliRunner().invoke(main, ["convert", str(ORDER_FULFILMENT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    size = out.stat().st_size
    assert (
        f"wfengine convert: warning: {out} is written, but wfengine cannot load it back "
        f"(xml-too-large: document is {size} bytes; the limit is 1000 bytes); a host "
        "application can raise the limits: read_package(data, max_bytes=..., max_elements=...)"
    ) in result.stderr
    monkeypatch.setattr(secure, "DEFAULT_MAX_BYTES", size)
    result = CliRunner().invoke(main, ["convert", str(ORDER_FULFILMENT), "-o", str(out)])
    assert "warning" not in result.stderr


def test_a_written_document_over_the_element_limit_is_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XPDL 2.2 spells out more elements than 1.0 (about 13% more on the corpus), so a file
    under the element limit can convert past it; the warning follows that limit as it does
    the byte limit. The limit is lowered here to spare writing 250,000 elements."""
    from wfengine.definition.xpdl import secure

    out = tmp_path / "converted.xpdl"
    CliRunner().invoke(main, ["convert", str(ORDER_FULFILMENT), "-o", str(out)])
    elements = sum(isinstance(el.tag, str) for el in etree.parse(str(out)).iter())
    monkeypatch.setattr(secure, "DEFAULT_MAX_ELEMENTS", elements - 1)
    result = CliRunner().invoke(main, ["convert", str(ORDER_FULFILMENT), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert (
        "wfengine convert: warning: standard output is written, but wfengine cannot load it "
        "back (line "
    ) in result.stderr
    assert f"xml-too-large: document has more than {elements - 1:,} elements, the limit" in (
        result.stderr
    )
    monkeypatch.setattr(secure, "DEFAULT_MAX_ELEMENTS", elements)
    result = CliRunner().invoke(main, ["convert", str(ORDER_FULFILMENT), "-o", "-"])
    assert "warning" not in result.stderr
