"""With an organisation, a unit's utilisation counts the people of the units below it too,
as the organisation offers them the unit's work (and as ``wfengine stats`` counts them)."""

from __future__ import annotations

from pathlib import Path

from tests.simulation.helpers import single_server

from wfengine.simulation import Scenario, simulate


def test_a_units_utilisation_counts_the_people_of_the_units_below_it(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(
        "users:\n"
        "  - {id: ann, units: [desk]}\n"
        "  - {id: bob, units: [front]}\n"
        "  - {id: cy, units: [front, desk]}\n"
        "units:\n"
        "  - {id: desk}\n"
        "  - {id: front, parent: desk}\n",
        encoding="utf-8",
    )
    scn = Scenario.from_data(
        {
            "arrivals": {"poisson": "10/h"},
            "activities": {"serve": {"duration": {"exponential": "6m"}}},
            "organisation": "org.yaml",
        },
        base=tmp_path,
    )
    report = simulate(single_server("desk"), scn, instances=50)
    groups = report.replications[0].groups
    assert groups["unit desk"].people == 3  # ann, and bob and cy of front below it (cy once)
    assert groups["unit front"].people == 2
    assert set(report.utilisation) == {"unit desk", "unit front"}
