"""The CLI's JSON is strict JSON: a NaN or infinite float the engine keeps in the data (a script
may compute one) is written as the string ``"NaN"``, ``"Infinity"`` or ``"-Infinity"``, never as
the bare ``NaN``/``Infinity`` literals Python's ``json`` writes, which no strict reader takes
(JavaScript's ``JSON.parse``, ``jq``); and a ``run --script`` step cannot set such a value,
as ``--set`` cannot."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine.cli.json_output import dumps

#: a script task leaves a NaN in one FLOAT field and both infinities in an array of FLOAT
XPDL = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="p">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="proc">
      <ProcessHeader/>
      <DataFields>
        <DataField Id="amount"><DataType><BasicType Type="FLOAT"/></DataType></DataField>
        <DataField Id="limits" IsArray="true"><DataType><BasicType Type="FLOAT"/></DataType>
        </DataField>
      </DataFields>
      <Activities>
        <Activity Id="calc"><Implementation><Task><TaskScript><Script>amount = float("nan")
limits = [float("inf"), -float("inf"), 1.5]</Script></TaskScript></Task></Implementation>
        </Activity>
        <Activity Id="check"><Implementation><No/></Implementation>
          <Performers><Performer>clerk</Performer></Performers></Activity>
      </Activities>
      <Transitions><Transition Id="t1" From="calc" To="check"/></Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""

#: how the non-finite values read back
SPELT = {"amount": "NaN", "limits": ["Infinity", "-Infinity", 1.5]}


def _strict(text: str) -> Any:
    """``text`` parsed as a strict JSON reader parses it (no NaN or Infinity literals)."""

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The definition's file and a database holding its instance pi-1, run to its end."""
    tmp = tmp_path_factory.mktemp("nan")
    source = tmp / "nan.xpdl"
    source.write_text(XPDL)
    url = sqlite_url(tmp)
    result = cli("run", str(source), "--db", url)
    assert result.exit_code == 0, result.output
    return str(source), url


def test_the_encoder_spells_nan_and_the_infinities_as_strings() -> None:
    value = {"a": math.nan, "b": [math.inf, (-math.inf,)], "c": 1.5, "d": {"e": [1, "x"]}}
    text = dumps(value)
    assert _strict(text) == {
        "a": "NaN",
        "b": ["Infinity", ["-Infinity"]],
        "c": 1.5,
        "d": {"e": [1, "x"]},
    }
    assert dumps({"c": 1.5}) == json.dumps({"c": 1.5})  # finite values as before


def test_run_json_is_strict_json_with_non_finite_data(ran: tuple[str, str]) -> None:
    result = cli("run", ran[0], "--json")
    assert result.exit_code == 0, result.output
    assert _strict(result.stdout)["data"] == SPELT


@pytest.mark.parametrize("command", [["instance", "show"], ["status"]], ids=" ".join)
def test_database_commands_print_strict_json(ran: tuple[str, str], command: list[str]) -> None:
    result = cli(*command, "pi-1", "--db", ran[1], "--json")
    assert result.exit_code == 0, result.output
    assert _strict(result.stdout)["data"] == SPELT


def test_audit_jsonl_and_csv_details_are_strict_json(ran: tuple[str, str]) -> None:
    args = ("audit", "--db", ran[1], "--kind", "activity.script")
    jsonl = cli(*args, "--format", "jsonl")
    assert jsonl.exit_code == 0, jsonl.output
    rows = [_strict(line) for line in jsonl.stdout.splitlines()]
    assert [r["detail"] for r in rows] == [SPELT]
    table = cli(*args, "--format", "csv")
    assert table.exit_code == 0, table.output
    (row,) = csv.DictReader(io.StringIO(table.stdout))
    assert _strict(row["detail"]) == SPELT


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_script_step_cannot_set_what_set_refuses(tmp_path: Path, literal: str) -> None:
    script = tmp_path / "steps.json"
    script.write_text('[{"complete": "check", "set": {"amount": ' + literal + "}}]")
    source = tmp_path / "p.xpdl"
    source.write_text(XPDL)
    result = cli("run", str(source), "--script", str(script), "--json")
    assert result.exit_code == 2, result.output
    assert f"--script {script}" in result.stderr and result.stdout == ""
    assert cli("run", str(source), "--set", "amount=nan").exit_code == 2  # as --set
