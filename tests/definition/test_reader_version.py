"""Version detection, refusal of non-XPDL documents, and the bookkeeping every load carries."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.definition.diagnostics import Severity
from wfengine.definition.io import load_xpdl
from wfengine.definition.model import XPDL_NAMESPACES
from wfengine.definition.xpdl.reader import read_package
from wfengine.errors import XpdlLoadError

NS = {v: k for k, v in XPDL_NAMESPACES.items()}


def _doc(ns: str | None, body: str = "", header_version: str = "2.2") -> bytes:
    xmlns = f' xmlns="{ns}"' if ns else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package{xmlns} Id="pkg" Name="Sample">
  <PackageHeader>
    <XPDLVersion>{header_version}</XPDLVersion>
    <Vendor>tests</Vendor>
    <Created>2024-01-01</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="proc">
      <ProcessHeader/>
      <Activities>
        <Activity Id="a1"/>
      </Activities>
    </WorkflowProcess>
  </WorkflowProcesses>{body}
</Package>
""".encode()


@pytest.mark.parametrize("version", ["1.0", "2.0", "2.1", "2.2"])
def test_version_comes_from_the_root_namespace(version: str) -> None:
    # the header says something else on purpose: the namespace decides
    pkg = read_package(_doc(NS[version], header_version="9.9"), schema=False)
    assert pkg.source_version == version
    assert pkg.header.xpdl_version == "9.9"
    assert pkg.process("proc").activity("a1").id == "a1"
    assert not [d for d in pkg.load_diagnostics if d.code.startswith("xpdl-")]


def test_no_namespace_reads_as_xpdl_with_a_warning_and_header_version() -> None:
    pkg = read_package(_doc(None, header_version="1.0"), source="bare.xpdl")
    assert pkg.source_version == "1.0"
    codes = [d.code for d in pkg.load_diagnostics]
    assert codes == ["xpdl-no-namespace"]  # and no schema check for such documents
    warning = pkg.load_diagnostics[0]
    assert warning.severity is Severity.WARNING
    assert warning.file == "bare.xpdl"
    assert pkg.process().activities[0].id == "a1"


def test_no_namespace_without_usable_version_assumes_2_2() -> None:
    pkg = read_package(_doc(None, header_version="banana"), schema=False)
    assert pkg.source_version == "2.2"
    assert "2.2 assumed" in pkg.load_diagnostics[0].message


def test_unknown_namespace_is_refused() -> None:
    with pytest.raises(XpdlLoadError) as info:
        read_package(_doc("http://example.com/not-xpdl"))
    assert info.value.diagnostic.code == "xpdl-unknown-namespace"
    assert "not-xpdl" in info.value.diagnostic.message


@pytest.mark.parametrize(
    "data",
    [
        b'<Process xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="x"/>',
        b"<definitions/>",
    ],
)
def test_root_that_is_not_a_package_is_refused(data: bytes) -> None:
    with pytest.raises(XpdlLoadError) as info:
        read_package(data)
    assert info.value.diagnostic.code == "xpdl-not-package"
    assert info.value.diagnostic.line == 1


def test_schema_findings_are_warnings_with_lines() -> None:
    # WorkflowProcess without the required ProcessHeader, and an unknown XPDL element
    doc = _doc(NS["2.2"], body="\n  <Nonsense/>")
    pkg = read_package(doc, source="s.xpdl")
    schema = [d for d in pkg.load_diagnostics if d.code == "schema-violation"]
    assert schema
    assert all(d.severity is Severity.WARNING and d.line for d in schema)
    assert all(d.file == "s.xpdl" for d in schema)
    assert read_package(doc, schema=False).load_diagnostics == ()


def test_valid_document_has_no_schema_findings() -> None:
    pkg = read_package(_doc(NS["2.2"]))
    assert pkg.load_diagnostics == ()


def test_source_file_and_lines_are_recorded() -> None:
    pkg = read_package(_doc(NS["2.1"]), source="where.xpdl")
    assert pkg.source_file == "where.xpdl"
    assert pkg.line == 2
    assert pkg.header.line == 3
    proc = pkg.process("proc")
    assert proc.line == 9
    assert proc.header.line == 10
    assert proc.activities[0].line == 12


def test_load_xpdl_reads_files_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "p.xpdl"
    path.write_bytes(_doc(NS["1.0"]))
    from_file = load_xpdl(path)
    assert from_file.source_file == str(path)
    assert from_file == load_xpdl(_doc(NS["1.0"]))


def test_package_without_id_still_loads_with_a_warning() -> None:
    doc = b'<Package xmlns="http://www.wfmc.org/2009/XPDL2.2"><PackageHeader/></Package>'
    pkg = read_package(doc, schema=False)
    assert pkg.id == ""
    assert [d.code for d in pkg.load_diagnostics] == ["xpdl-unreadable"]
