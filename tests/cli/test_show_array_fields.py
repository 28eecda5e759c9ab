"""``wfengine show`` tells an array data field or parameter from a scalar one: the field holds a
list, and whoever starts an instance must give it one."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl


def _file(tmp_path: Path) -> Path:
    b = PackageBuilder("pk")
    b.application("tagger", params=[("names", "IN", "STRING")])
    p = b.process("main")
    p.data_field("tags", "STRING", is_array=True)
    p.data_field("one", "STRING")
    p.start("a").end("z").sequence("a", "z")
    path = tmp_path / "pk.xpdl"
    path.write_bytes(dump_xpdl(b.build()))
    return path


def test_text_shows_an_array_field_as_an_array(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", str(_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "tags: array of STRING" in result.stdout
    assert "one: STRING" in result.stdout


def test_json_says_is_array(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", "--json", str(_file(tmp_path))])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    fields = {f["id"]: f for f in summary["processes"][0]["data_fields"]}
    # ("type" stays each value's type, as the JSON always gave it: a consumer mapping it to a
    # widget or parser reads is_array beside it)
    assert (fields["tags"]["type"], fields["tags"]["is_array"]) == ("STRING", True)
    assert (fields["one"]["type"], fields["one"]["is_array"]) == ("STRING", False)
    [param] = summary["applications"][0]["parameters"]
    assert (param["type"], param["is_array"]) == ("STRING", False)


ARRAY_TYPED = (
    """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="pk">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>2026</Created></PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="main">
      <DataFields>
        <DataField Id="arr1"><DataType><ArrayType LowerIndex="0" UpperIndex="3">"""
    """<BasicType Type="FLOAT"/></ArrayType></DataType></DataField>
      </DataFields>
      <Activities><Activity Id="a"><Implementation><No/></Implementation></Activity></Activities>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""
)


def test_a_field_typed_array_type_reads_as_its_elements_array(tmp_path: Path) -> None:
    """XPDL's other way to declare an array (<ArrayType> of FLOAT): it read `arr1: array`, and
    the JSON said "type": "array", "is_array": false, the element's type lost."""
    path = tmp_path / "arr.xpdl"
    path.write_text(ARRAY_TYPED, encoding="utf-8")
    text = CliRunner().invoke(main, ["show", str(path)])
    assert text.exit_code == 0, text.output
    assert "arr1: array of FLOAT" in text.stdout
    shown = CliRunner().invoke(main, ["show", "--json", str(path)])
    [field] = json.loads(shown.stdout)["processes"][0]["data_fields"]
    assert (field["type"], field["is_array"]) == ("FLOAT", True)
