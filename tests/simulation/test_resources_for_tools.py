"""``resources:`` sizing a participant that performs only activities no person takes (Tool
activities the engine runs by itself, automatic ones) is refused as other entries the run
would not use: before, ``{hr_system: 2}`` for examples/leave_request.xpdl's system was shown as
two people idle at 0.0% (QA F_sim 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.simulation.helpers import scenario

from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import ScenarioError, simulate
from wfengine.simulation.binding import bind

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "leave_request.xpdl"


def _desk(also_by_hand: bool) -> Package:
    """A clerk's step, then a step of ``system`` run by a Tool (and, with ``also_by_hand``, a
    manual step of ``system`` too)."""
    pb = PackageBuilder("desk")
    pb.participant("clerk")
    pb.participant("system")
    p = pb.process("p")
    p.application("mailer")
    p.activity("answer", performer="clerk")
    p.activity("mail", performer="system", tool="mailer")
    steps = ["answer", "mail"]
    if also_by_hand:
        p.activity("check", performer="system")
        steps.append("check")
    p.sequence(*steps)
    return pb.build()


def test_people_for_a_participant_only_tools_perform_are_refused() -> None:
    with pytest.raises(ScenarioError) as caught:
        bind(scenario(resources={"clerk": 1, "system": 2}), _desk(also_by_hand=False))
    message = str(caught.value)
    assert message.startswith("test.yaml: resources.system: no person takes the work")
    assert "'mail' is a Tool activity the engine runs by itself" in message


def test_a_participant_people_also_work_as_may_be_sized() -> None:
    report = simulate(
        _desk(also_by_hand=True), scenario(resources={"clerk": 1, "system": 2}), instances=2
    )
    assert report.replications[0].groups["system"].people == 2


def test_the_command_refuses_the_example_s_hr_system(tmp_path: Path) -> None:
    path = tmp_path / "hr.yaml"
    path.write_text("instances: 3\narrivals: {every: 20m}\nresources: {hr_system: 2}\n")
    result = CliRunner().invoke(main, ["simulate", str(EXAMPLE), "--scenario", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:3: resources.hr_system: no person takes the work" in result.stderr
