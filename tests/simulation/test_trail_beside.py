"""A scenario's ``trail:`` is read beside the scenario file, as ``trace:`` and
``organisation:`` are; a missing trail is "no database at PATH", with no advice to create one
(an empty database cannot help). Before, the URL was read from the current directory, and the
error said to run ``wfengine db upgrade``, after which the run failed again (QA F_sim 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.simulation.helpers import scenario, single_server

from wfengine.simulation import Scenario, ScenarioError, simulate
from wfengine.simulation.trail import beside

_AGAIN = "arrivals: {every: 1h}\ntrail: URL\nactivities: {serve: {duration: {empirical: trail}}}\n"


def _history(where: Path) -> None:
    """A trail whose every serve took 7 minutes, at ``where``."""
    scn = scenario(arrivals={"every": "1h"}, activities={"serve": "7m"})
    simulate(single_server(), scn, instances=3, db_url=f"sqlite:///{where}")


def test_a_relative_trail_is_read_beside_the_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "whatif").mkdir()
    _history(tmp_path / "whatif" / "history.db")
    path = tmp_path / "whatif" / "again.yaml"
    path.write_text(_AGAIN.replace("URL", "sqlite:///history.db"))
    monkeypatch.chdir(tmp_path)  # (the parent directory: no history.db here)
    scn = Scenario.load(path)
    assert scn.trail == f"sqlite:///{(tmp_path / 'whatif' / 'history.db').as_posix()}"
    report = simulate(single_server(), scn, instances=2)
    assert report.activities["serve"].processing.mean == pytest.approx(420.0)
    assert not (tmp_path / "history.db").exists()


def test_a_missing_trail_says_so_and_not_to_create_one(tmp_path: Path) -> None:
    path = tmp_path / "again.yaml"
    path.write_text(_AGAIN.replace("URL", "sqlite:///history.db"))
    with pytest.raises(ScenarioError) as caught:
        simulate(single_server(), Scenario.load(path), instances=1)
    message = str(caught.value)
    assert f"trail: no database at {(tmp_path / 'history.db').as_posix()}" in message
    assert "db upgrade" not in message
    assert not (tmp_path / "history.db").exists()


@pytest.mark.parametrize(
    ("url", "read"),
    [
        ("sqlite:///h.db", "sqlite:///base/h.db"),
        ("sqlite:///sub/h.db?timeout=5", "sqlite:///base/sub/h.db?timeout=5"),
        ("sqlite+pysqlite:///h.db", "sqlite+pysqlite:///base/h.db"),
        ("sqlite:////abs/h.db", "sqlite:////abs/h.db"),
        ("sqlite://", "sqlite://"),
        ("sqlite:///:memory:", "sqlite:///:memory:"),
        ("sqlite:///file:h.db?uri=true", "sqlite:///file:h.db?uri=true"),
        ("postgresql://u@host/db", "postgresql://u@host/db"),
    ],
)
def test_what_is_read_beside_and_what_is_left(url: str, read: str) -> None:
    assert beside(url, Path("base")) == read
