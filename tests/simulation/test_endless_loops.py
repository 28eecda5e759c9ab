"""A case going round a loop simulated people can never leave stops a run without a horizon
with an error naming the loop (it ran for ever, its memory growing); a loop a draw or a
timer may still leave runs on, and a horizon still ends a run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from tests.simulation.helpers import scenario

from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder, deadline
from wfengine.definition.io import dump_xpdl
from wfengine.definition.model import Package
from wfengine.simulation import ScenarioError, simulate
from wfengine.simulation.simulator import Run

#: completions after which a test run counts as endless (a bound on progress, not on time)
MAX_COMPLETIONS = 2_000


@pytest.fixture(autouse=True)
def _bounded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail, rather than hang, a run that goes round more than :data:`MAX_COMPLETIONS`."""
    finish = Run._finish
    done = [0]

    def counted(self: Run, *args: Any) -> None:
        done[0] += 1
        if done[0] > MAX_COMPLETIONS:
            raise AssertionError(f"still going round after {MAX_COMPLETIONS} completions")
        finish(self, *args)

    monkeypatch.setattr(Run, "_finish", counted)
    yield


def _rework(late: str | None = None) -> Package:
    """review -> approved ? end : review again (a rework loop); with ``late``, a deadline on
    review that takes the case out of the loop."""
    pb = PackageBuilder("rework")
    pb.participant("clerk")
    p = pb.process("claim")
    p.data_field("approved", "BOOLEAN", initial="false")
    p.start("s")
    deadlines = [deadline(late, "late", execution="SYNCHR")] if late else []
    p.activity("review", performer="clerk", deadlines=deadlines, writes=["approved"])
    p.route("ok", gateway="Exclusive")
    p.end("e")
    p.sequence("s", "review", "ok")
    p.transition("ok", "e", condition="approved")
    p.transition("ok", "review", otherwise=True)
    if late:
        p.end("gave_up")
        p.transition("review", "gave_up", exception="late")
    return pb.build()


def test_a_loop_nobody_can_leave_stops_the_run_naming_it() -> None:
    scn = scenario(arrivals={"every": "5m"}, activities={"review": {"duration": "10m"}})
    with pytest.raises(ScenarioError) as caught:
        simulate(_rework(), scn, instances=3)
    message = str(caught.value)
    assert message.startswith("test.yaml: manual loop: review would repeat forever")
    assert "activities.review.outputs" in message
    assert "horizon" in message


def test_a_loop_a_drawn_output_may_leave_runs_to_its_end() -> None:
    scn = scenario(
        arrivals={"every": "5m"},
        activities={"review": {"duration": "10m", "outputs": {"approved": {"bernoulli": 0.3}}}},
    )
    report = simulate(_rework(), scn, instances=5)
    assert report.replications[0].metrics.completed == 5


def test_a_deadline_a_drawn_duration_may_outlast_is_no_repeat() -> None:
    # review takes 10 to 90 minutes; its 1h deadline ends the case when the work outlasts it
    scn = scenario(
        arrivals={"every": "5m"},
        activities={"review": {"duration": {"uniform": ["10m", "90m"]}}},
    )
    report = simulate(_rework("PT1H"), scn, instances=5)
    assert report.replications[0].metrics.completed == 5


def test_a_deadline_the_work_never_outlasts_is_part_of_the_repeat() -> None:
    scn = scenario(arrivals={"every": "5m"}, activities={"review": {"duration": "10m"}})
    with pytest.raises(ScenarioError, match=r"manual loop: review would repeat forever"):
        simulate(_rework("PT1H"), scn, instances=3)


def test_a_horizon_still_ends_such_a_run() -> None:
    scn = scenario(
        horizon="2h", arrivals={"every": "5m"}, activities={"review": {"duration": "10m"}}
    )
    report = simulate(_rework(), scn, instances=3)
    assert report.replications[0].stopped == "horizon"


def test_the_command_refuses_it_as_other_scenarios(tmp_path: Any) -> None:
    (tmp_path / "rework.xpdl").write_bytes(dump_xpdl(_rework()))
    (tmp_path / "s.yaml").write_text("arrivals: {every: 5m}\nactivities: {review: 10m}\n")
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            str(tmp_path / "rework.xpdl"),
            "--scenario",
            str(tmp_path / "s.yaml"),
            "--instances",
            "2",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "s.yaml: manual loop: review would repeat forever" in result.stderr
    assert "Traceback" not in result.output
