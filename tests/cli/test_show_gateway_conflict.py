"""``wfengine show`` prints a join and a split as the engine runs them.

A Route whose ``GatewayType`` contradicts its Join's ``Type`` (``gateway-conflict``: the
Route's is taken, as drawn) was shown ``[route: Parallel]  join Exclusive``, the written Type
the engine ignores, so a reader of ``show`` expected an exclusive merge where the engine
waits for every way in. Both sides now read as the engine runs them, in text and ``--json``;
a Join or Split with no Route over it (XPDL 1.0's form, a task's join) is shown as written.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wfengine.cli.main import main

_XPDL = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="p">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2020</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="proc">
      <Activities>
        <Activity Id="a"><Route GatewayType="Parallel"/>
          <TransitionRestrictions><TransitionRestriction><Split Type="Exclusive"/>
          </TransitionRestriction></TransitionRestrictions></Activity>
        <Activity Id="b"/>
        <Activity Id="c"/>
        <Activity Id="j"><Route GatewayType="Parallel"/>
          <TransitionRestrictions><TransitionRestriction><Join Type="Exclusive"/>
          </TransitionRestriction></TransitionRestrictions></Activity>
        <Activity Id="k"><Implementation><No/></Implementation>
          <TransitionRestrictions><TransitionRestriction><Join Type="Inclusive"/>
          </TransitionRestriction></TransitionRestrictions></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="a" To="b"/>
        <Transition Id="t2" From="a" To="c"/>
        <Transition Id="t3" From="b" To="j"/>
        <Transition Id="t4" From="c" To="j"/>
        <Transition Id="t5" From="j" To="k"/>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


def test_a_conflicting_join_and_split_are_shown_as_the_engine_runs_them(tmp_path: Path) -> None:
    path = tmp_path / "g.xpdl"
    path.write_text(_XPDL, encoding="utf-8")
    text = CliRunner().invoke(main, ["show", str(path)])
    assert text.exit_code == 0, text.output
    rows = {line.split()[0]: line.strip() for line in text.stdout.splitlines() if line.strip()}
    assert rows["a"] == "a  [route: Parallel]  split Parallel"
    assert rows["j"] == "j  [route: Parallel]  join Parallel"
    assert rows["k"].endswith("join Inclusive")  # no Route over it: the Join's own Type
    shown = CliRunner().invoke(main, ["show", "--json", str(path)])
    activities = {a["id"]: a for a in json.loads(shown.stdout)["processes"][0]["activities"]}
    assert (activities["a"]["split"], activities["a"]["join"]) == ("Parallel", None)
    assert (activities["j"]["join"], activities["j"]["split"]) == ("Parallel", None)
    assert activities["k"]["join"] == "Inclusive"
