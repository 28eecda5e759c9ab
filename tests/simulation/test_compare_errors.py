"""``--compare``: the second variant is read against its definition before either runs, its
errors say they are about it, and it runs as many cases as the first.

A scenario error of variant B used to appear only after A had run all its replications, and
read as if it were A's (B's definition against A's scenario names A's scenario file).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.simulation.helpers import chain, scenario, single_server

from wfengine.cli.main import main
from wfengine.definition.io import dump_xpdl
from wfengine.simulation import VariantError, compare


def test_the_second_variants_error_comes_before_the_first_runs() -> None:
    told: list[tuple[int, int]] = []
    good = scenario(activities={"serve": "5m"})
    bad = scenario(activities={"serv": "5m"})
    with pytest.raises(VariantError, match=r"^variant b: .*activities\.serv") as caught:
        compare(
            (single_server(), good),
            (single_server(), bad),
            instances=20,
            progress=lambda *at: told.append(at),
        )
    assert caught.value.variant == "b"
    assert told == []  # A did not run


def test_the_cli_names_the_compared_file(tmp_path: Path) -> None:
    one, two = tmp_path / "one.xpdl", tmp_path / "two.xpdl"
    one.write_bytes(dump_xpdl(single_server()))
    two.write_bytes(dump_xpdl(chain(2)))
    scn = tmp_path / "a.yaml"
    scn.write_text("arrivals: {poisson: 10/h}\nactivities: {serve: 5m}\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["simulate", str(one), "--scenario", str(scn), "--compare", str(two)]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: --compare {two}: {scn}:2: activities.serve:")


def test_the_second_variant_runs_as_many_cases_as_the_first() -> None:
    # (the header says the first's count, and the differences pair the same cases)
    a = scenario(instances=12, activities={"serve": "5m"})
    b = scenario(instances=6, activities={"serve": "4m"}, resources={"server": 2})
    both = compare((single_server(), a), (single_server(), b))
    assert (both.a.instances, both.b.instances) == (12, 12)
    assert both.b.activities["serve"].count.mean == 12
